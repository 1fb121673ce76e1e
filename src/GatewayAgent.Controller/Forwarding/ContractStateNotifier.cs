using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Routing;

namespace GatewayAgent.Controller.Forwarding;

/// <summary>
/// Publishes a contract's detector and switch state (retained, ctl/v1/contracts/{id}/state) after the change is
/// committed. Without a publisher (no MQTT ingest configured) it does nothing; a failed publish is logged, not thrown:
/// the database already holds the truth and the next change republishes. The edge is told too
/// (<see cref="EdgeRoutingChanges"/>), so calls follow the switch within a second.
/// </summary>
public sealed class ContractStateNotifier(
    TimeProvider time,
    ILogger<ContractStateNotifier> logger,
    IContractStatePublisher? publisher = null,
    EdgeRoutingChanges? routingChanges = null)
{
    public static ContractState ToState(ContractRecord contract, DateTimeOffset now) => new()
    {
        ContractId = contract.Id,
        ContractNumber = contract.ContractNumber,
        Detector = contract.Detector.State,
        Forwarding = contract.Forwarding.On,
        ForwardingSince = contract.Forwarding.Since,
        ForwardingReason = contract.Forwarding.Reason,
        Ts = now,
    };

    public async Task PublishAsync(ContractRecord contract, CancellationToken cancellationToken)
    {
        routingChanges?.Notify(contract.Id);
        if (publisher is null)
        {
            return;
        }

        try
        {
            await publisher.PublishAsync(ToState(contract, time.GetUtcNow()), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StatePublishFailed(logger, contract.Id, ex);
        }
    }
}
