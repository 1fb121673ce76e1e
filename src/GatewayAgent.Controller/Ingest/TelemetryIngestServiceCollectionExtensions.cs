using GatewayAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

public static class TelemetryIngestServiceCollectionExtensions
{
    /// <summary>
    /// Telemetry ingest: the embedded broker or the external-broker client (Controller:Mqtt), the ingest workers
    /// (Controller:Ingest), <see cref="ISiteLiveStatusReader"/>, <see cref="IContractStatePublisher"/> and
    /// <see cref="ISiteCommander"/>. Needs <see cref="ISiteDirectory"/>, <see cref="ISiteEventLog"/> and a
    /// <see cref="TimeProvider"/>; uses every registered <see cref="Probing.IFastProbing"/>, and an
    /// <see cref="ISiteLiveStatusStore"/> when there is one (the live status is then shared by every node).
    /// </summary>
    public static IServiceCollection AddTelemetryIngest(this IServiceCollection services)
    {
        services.AddOptionsSection<ControllerMqttOptions>(ControllerMqttOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptionsSection<TelemetryIngestOptions>(TelemetryIngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptionsSection<BrokerLimitsOptions>(BrokerLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<SiteLiveStatusRegistry>();
        services.AddSingleton<ISiteLiveStatusReader, SiteLiveStatusReader>();
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<ControllerNode>();
        services.AddSingleton<AclViolationReporter>();
        services.AddSingleton<BrokerAdmission>();
        services.TryAddSingleton<SiteSessionRevocations>();
        services.AddSingleton<EmbeddedMqttBroker>();
        services.AddSingleton<ExternalMqttConnection>();
        services.AddSingleton<IControllerMqttLink>(sp =>
            sp.GetRequiredService<IOptions<ControllerMqttOptions>>().Value.Mode == MqttMode.Embedded
                ? sp.GetRequiredService<EmbeddedMqttBroker>()
                : sp.GetRequiredService<ExternalMqttConnection>());
        services.AddSingleton<MqttSiteCommander>();
        services.AddSingleton<ISiteCommander>(sp => sp.GetRequiredService<MqttSiteCommander>());
        services.AddSingleton<IContractStatePublisher, MqttContractStatePublisher>();
        services.AddSingleton<TelemetryIngestor>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<AgentMessageRouter>();

        // The live-status writer before the workers: it stops after them, so a clean stop writes their last changes.
        services.AddHostedService<SiteLiveStatusWriter>();
        // Workers first, so the broker never accepts a message nobody will read.
        services.AddHostedService(sp => sp.GetRequiredService<IngestQueue>());
        services.AddHostedService<TelemetryIngestService>();
        return services;
    }
}
