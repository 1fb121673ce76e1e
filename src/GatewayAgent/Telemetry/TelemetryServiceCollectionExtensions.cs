using GatewayAgent.Contracts;
using GatewayAgent.Hosting;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using GatewayAgent.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>MQTT telemetry (birth/will, snapshots, events, spool, commands) from Agent:Mqtt and Agent:Telemetry.</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOptionsSection<MqttOptions>(MqttOptions.SectionName, static (section, options) => section.Bind(options))
            .ValidateWith(new MqttOptionsValidator()).ValidateOnStart();
        services.AddOptionsSection<TelemetryOptions>(TelemetryOptions.SectionName, static (section, options) => section.Bind(options))
            .ValidateWith(new TelemetryOptionsValidator()).ValidateOnStart();
        services.AddOptionsSection<AgentSiteOptions>(AgentSiteOptions.SectionName, static (section, options) => section.Bind(options))
            .Validate<IOptions<MqttOptions>>((site, mqtt) => !mqtt.Value.IsEnabled || Topics.IsValidSiteId(site.SiteId),
                "Agent:SiteId: required when Agent:Mqtt:Host is set: 1-64 characters of A-Z, a-z, 0-9, '-' and '_'")
            .ValidateOnStart();

        services.AddAgentStatus();
        // The self-test needs the SIP leg (AddProbeAnswering); without it there is none to offer.
        services.TryAddSingleton<ISelfTest>(sp => sp.GetService<SipTransactionLayer>() is { } transactions
            ? new SipSelfTest(transactions, sp.GetRequiredService<SipTransportLayer>(), sp.GetRequiredService<IOptions<ProbeAnswererOptions>>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ProbeCaller>>())
            : null!);
        services.TryAddSingleton<TelemetrySnapshotSource>();
        services.TryAddSingleton<TelemetryCommands>();
        services.TryAddSingleton<MqttTelemetryPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttTelemetryPublisher>());
        return services;
    }
}
