using GatewayAgent.Status;
using GatewayAgent.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>
/// The agent's telemetry part in the test process: the real AddTelemetry composition in a real host, with an in-memory
/// event hub to raise events on, a real broker and real spool files. No SIP leg (that is what the process tests add).
/// </summary>
public sealed class InProcessTelemetryAgent : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private InProcessTelemetryAgent(IHost host, LogCapture log)
    {
        _host = host;
        Log = log;
    }

    public LogCapture Log { get; }

    public IServiceProvider Services => _host.Services;

    public AgentEventHub Hub => _host.Services.GetRequiredService<AgentEventHub>();

    public AgentStatus Status => _host.Services.GetRequiredService<AgentStatus>();

    public MqttTelemetryPublisher Publisher => _host.Services.GetRequiredService<MqttTelemetryPublisher>();

    public IConfigurationRoot Configuration => (IConfigurationRoot)_host.Services.GetRequiredService<IConfiguration>();

    public static Dictionary<string, string?> Settings(int brokerPort, string spoolDirectory, string siteId = "site-a") => new()
    {
        ["Agent:SiteId"] = siteId,
        ["Agent:Mqtt:Host"] = "127.0.0.1",
        ["Agent:Mqtt:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Agent:Mqtt:ReconnectMin"] = "00:00:00.050",
        ["Agent:Mqtt:ReconnectMax"] = "00:00:00.200",
        ["Agent:Telemetry:SpoolDirectory"] = spoolDirectory,
    };

    public static async Task<InProcessTelemetryAgent> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var log = new LogCapture();
        builder.Logging.AddProvider(log.CreateProvider());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTelemetry();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessTelemetryAgent(host, log);
    }

    /// <summary>A clean stop, as systemd's SIGTERM does it.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
