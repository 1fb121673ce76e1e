using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Publishes a contract's detector and switch state retained on ctl/v1/contracts/{id}/state.</summary>
public interface IContractStatePublisher
{
    Task PublishAsync(ContractState state, CancellationToken cancellationToken);
}
