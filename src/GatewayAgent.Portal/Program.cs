using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Metrics;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Hosting;
using GatewayAgent.Portal.Hosting;

namespace GatewayAgent.Portal;

/// <summary>gateway-portal: the customers' settings site (issue 11).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (CommandLineHelp.IsRequested(args))
        {
            return CommandLineHelp.Print(PortalHost.Usage, Console.Out);
        }

        if (args.Length > 0 && args[0] == TemporaryPasswordCommand.Verb)
        {
            return await TemporaryPasswordCommand.RunAsync(args[1..], Console.Out, Console.Error);
        }

        await using var app = Build(args);
        return await app.RunPortalAsync();
    }

    /// <summary>The site composed as it runs (the tests build it this way too, with their own clock and port).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = PortalHost.CreateBuilder(args);
        builder.Services
            .AddControllerMetrics()
            .AddControllerStorage()
            .AddContracts()
            .AddForwarding()
            .AddMailComposition()
            .AddPortalAccounts()
            .AddPortal();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UsePortal();
        return app;
    }
}
