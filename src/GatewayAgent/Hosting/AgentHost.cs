using GatewayAgent.Answering;
using GatewayAgent.Board;
using GatewayAgent.LocalControl;
using GatewayAgent.Status;
using GatewayAgent.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Hosting;

/// <summary>The "run" verb: the long-running agent service.</summary>
public static class AgentHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var started = new AgentStartTime(System.Diagnostics.Stopwatch.GetTimestamp());
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = AgentConfiguration.StripVerb(args),
            ContentRootPath = AppContext.BaseDirectory, // appsettings.json ships beside the binary, whatever the working directory
        });
        AgentConfiguration.AddSources(builder.Configuration, args);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(started);
        builder.Services.AddSystemd();
        builder.Services.AddSystemdWatchdog();
        builder.Services.AddAgentStatus();
        builder.Services.AddBoard();
        builder.Services.AddTelemetry();
        builder.Services.AddProbeAnswering();
        builder.Services.AddLocalControl();

        using var host = builder.Build();
        try
        {
            // Validate every option before starting anything: a bad value stops the agent with one line naming the key.
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            var failures = ex is AggregateException aggregate ? aggregate.InnerExceptions.OfType<OptionsValidationException>() : [(OptionsValidationException)ex];
            foreach (var line in failures.SelectMany(ConfigurationErrors.Describe))
            {
                Console.Error.WriteLine($"gateway-agent: invalid configuration: {line}");
            }

            return 2;
        }

        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GatewayAgent.Sip.Transport.SipTransportException or System.Net.Sockets.SocketException)
        {
            // Typically a listen address already in use or not on this machine.
            Console.Error.WriteLine($"gateway-agent: cannot start SIP: {ex.Message}{(ex.InnerException is { } inner ? ": " + inner.Message : "")}");
            return 1;
        }
        catch (BoardUnavailableException ex)
        {
            Console.Error.WriteLine($"gateway-agent: {ex.Message} (Agent:Board:Kind=sim runs without hardware; `gateway-agent doctor` checks the board)");
            return 1;
        }

        return 0;
    }
}
