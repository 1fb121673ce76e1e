using System.Text.Json;
using GatewayAgent.Contracts;
using MQTTnet;
using MQTTnet.Protocol;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Publishes a contract's detector and switch state retained, QoS 1, on ctl/v1/contracts/{id}/state.</summary>
internal sealed class MqttContractStatePublisher(IControllerMqttLink link) : IContractStatePublisher
{
    public Task PublishAsync(ContractState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.ContractState(state.ContractId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(state, ContractsJsonContext.Default.ContractState))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();
        return link.PublishAsync(message, cancellationToken);
    }
}
