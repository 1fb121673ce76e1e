using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Starts the broker side chosen by Controller:Mqtt:Mode: the embedded broker or the external connection.</summary>
internal sealed class TelemetryIngestService(
    IOptions<ControllerMqttOptions> options,
    EmbeddedMqttBroker embedded,
    ExternalMqttConnection external) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.Mode == MqttMode.Embedded ? embedded.StartAsync(cancellationToken) : external.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) =>
        options.Value.Mode == MqttMode.Embedded ? embedded.StopAsync() : external.StopAsync();
}
