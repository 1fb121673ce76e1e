using GatewayAgent.Controller.Ingest;

namespace IngestBench;

/// <summary>Every "bench-*" site authenticates with password "bench" and serves contract 1.</summary>
internal sealed class BenchSiteDirectory : ISiteDirectory
{
    public const string Password = "bench";

    public ValueTask<bool> AuthenticateAsync(string siteId, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(siteId.StartsWith("bench-", StringComparison.Ordinal) && password == Password);

    public ValueTask<long?> FindContractAsync(string siteId, CancellationToken cancellationToken) => ValueTask.FromResult<long?>(1);
}
