using System.Collections.Concurrent;
using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>Test double of the store's site directory: site id → (password, contract).</summary>
public sealed class InMemorySiteDirectory : ISiteDirectory
{
    private readonly ConcurrentDictionary<string, (string Password, long? ContractId)> _sites = new(StringComparer.Ordinal);

    public InMemorySiteDirectory Add(string siteId, string password, long? contractId)
    {
        _sites[siteId] = (password, contractId);
        return this;
    }

    public ValueTask<bool> AuthenticateAsync(string siteId, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_sites.TryGetValue(siteId, out var site) && site.Password == password);

    public ValueTask<long?> FindContractAsync(string siteId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_sites.TryGetValue(siteId, out var site) ? site.ContractId : null);
}
