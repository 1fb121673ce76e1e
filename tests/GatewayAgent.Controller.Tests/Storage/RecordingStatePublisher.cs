using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>Stands in for the MQTT publisher: remembers every published contract state.</summary>
public sealed class RecordingStatePublisher : IContractStatePublisher
{
    private readonly List<ContractState> published = [];

    public IReadOnlyList<ContractState> Published
    {
        get
        {
            lock (published)
            {
                return [.. published];
            }
        }
    }

    public Task PublishAsync(ContractState state, CancellationToken cancellationToken)
    {
        lock (published)
        {
            published.Add(state);
        }

        return Task.CompletedTask;
    }
}
