using System.Threading.Channels;
using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>Test double of the prober's fast-probing entry: records each trigger in order.</summary>
public sealed class RecordingFastProbing : IFastProbing
{
    private readonly Channel<(long ContractId, string Cause)> _triggers = Channel.CreateUnbounded<(long, string)>();

    public void Trigger(long contractId, string cause) => _triggers.Writer.TryWrite((contractId, cause));

    public async Task<(long ContractId, string Cause)> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _triggers.Reader.ReadAsync(cts.Token);
    }

    public bool TryTake(out (long ContractId, string Cause) trigger) => _triggers.Reader.TryRead(out trigger);
}
