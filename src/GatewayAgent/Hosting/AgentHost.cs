using System.Net.Sockets;
using GatewayAgent.Answering;
using GatewayAgent.Board;
using GatewayAgent.LocalControl;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Status;
using GatewayAgent.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
        builder.Services.AddParentWatch(builder.Configuration);

        builder.Logging.AddStartupErrorFilter();

        using var host = builder.Build();
        return await HostStartup.RunAsync(host, "gateway-agent", Console.Error, Recognise).ConfigureAwait(false);
    }

    /// <summary>The agent's own reasons not to start; a listen address in use and bad options are recognised by <see cref="StartupErrors"/>.</summary>
    private static StartupError? Recognise(Exception exception) => exception switch
    {
        BoardUnavailableException board =>
            StartupError.CannotStart($"{board.Message} (Agent:Board:Kind=sim runs without hardware; `gateway-agent doctor` checks the board)"),
        SipTransportException or SocketException when exception.InnerException is not SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } =>
            // A listen address not on this machine: the transport's message names it.
            StartupError.CannotStart($"SIP: {exception.Message}{(exception.InnerException is { } inner ? ": " + inner.Message : "")}"),
        _ => null,
    };
}
