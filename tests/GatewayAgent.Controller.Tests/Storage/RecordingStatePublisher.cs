using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>Stands in for the MQTT publisher: remembers every published contract state.</summary>
public sealed class RecordingStatePublisher : IContractStatePublisher
{
    private readonly List<ContractState> _published = [];

    public IReadOnlyList<ContractState> Published
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    public Task PublishAsync(ContractState state, CancellationToken cancellationToken)
    {
        lock (_published)
        {
            _published.Add(state);
        }

        return Task.CompletedTask;
    }
}
