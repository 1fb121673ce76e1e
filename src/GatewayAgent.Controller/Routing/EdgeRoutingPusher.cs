using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Routing;

/// <summary>
/// Keeps every edge node's routing tables equal to the database views (docs/routing.md). Each committed change
/// (<see cref="EdgeRoutingChanges"/>) is read back from the views and pushed key by key at once, to all nodes; a batch
/// larger than <see cref="EdgeOptions.ReloadThreshold"/> in one table (a storm) reloads that table from the database
/// instead. A node that failed a call, or restarted, is stale: it reloads every table when it answers again, checked
/// every <see cref="EdgeOptions.CheckInterval"/>. The edge keeps routing by its last tables while the controller is down.
/// This is how a switch reaches every number of the contract at once (BF-1) and calls follow it (BF-3).
/// </summary>
public sealed class EdgeRoutingPusher(
    EdgeRoutingChanges changes,
    EdgeViews views,
    IHttpClientFactory httpClients,
    IOptions<EdgeOptions> options,
    EdgeMetrics metrics,
    TimeProvider time,
    ILogger<EdgeRoutingPusher> logger) : BackgroundService
{
    /// <summary>JSON-RPC calls in flight per node while pushing a batch.</summary>
    private const int Parallelism = 8;

    private readonly EdgeOptions _options = options.Value;
    private readonly EdgeMirror _mirror = new();
    private List<EdgeNode> _nodes = [];

    /// <summary>Batches pushed to every reachable node (for tests: a change is at the edge once this passes it).</summary>
    public long BatchesPushed => Interlocked.Read(ref _batches);

    private long _batches;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.RpcUrls.Count == 0)
        {
            // No edge: nothing to keep current; changes are dropped as they come.
            while (!stoppingToken.IsCancellationRequested)
            {
                await changes.WaitAsync(stoppingToken).ConfigureAwait(false);
                changes.Take();
            }

            return;
        }

        var http = httpClients.CreateClient(nameof(EdgeRoutingPusher));
        _nodes = [.. _options.RpcUrls.Select(u => new EdgeNode(new EdgeRpcClient(http, new Uri(u), _options.Timeout)))];
        changes.Take();
        _mirror.ApplyAll(await ReadAllUntilStoppedAsync(stoppingToken).ConfigureAwait(false));
        var (numbers, contracts) = (_mirror.Count(EdgeTable.Numbers), _mirror.Count(EdgeTable.Contracts));
        Log.Started(logger, _nodes.Count, numbers, contracts);
        var nextCheck = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (now >= nextCheck)
            {
                await CheckNodesAsync(stoppingToken).ConfigureAwait(false);
                nextCheck = time.GetUtcNow() + _options.CheckInterval;
            }

            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                var delay = nextCheck - time.GetUtcNow();
                var changed = changes.WaitAsync(wait.Token);
                var due = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, wait.Token);
                await Task.WhenAny(changed, due).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
            }

            var batch = changes.Take();
            if (batch.Count > 0)
            {
                await PushAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<EdgeRow>> ReadAllUntilStoppedAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await views.ReadAllAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ReadFailed(logger, ex);
                await Task.Delay(_options.CheckInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PushAsync(IReadOnlyCollection<long> batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<EdgeOperation> operations;
        try
        {
            operations = batch.Count > _options.ReloadThreshold
                ? _mirror.ApplyAll(await views.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                : _mirror.Apply(batch, await views.ReadAsync(batch, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is the truth and the edge reads it itself: make every node reload once it can.
            Log.ReadFailed(logger, ex);
            foreach (var node in _nodes)
            {
                node.Stale = true;
            }

            return;
        }

        var reload = operations.GroupBy(o => o.Table).Where(g => g.Count() > _options.ReloadThreshold).Select(g => g.Key).ToHashSet();
        var keyed = operations.Where(o => !reload.Contains(o.Table)).ToList();
        await Task.WhenAll(_nodes.Select(async node =>
        {
            if (node.Stale)
            {
                await SyncAsync(node, cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                foreach (var table in reload)
                {
                    await node.Rpc.ReloadAsync(table, cancellationToken).ConfigureAwait(false);
                    metrics.Reloaded();
                }

                await Parallel.ForEachAsync(
                    keyed,
                    new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (operation, ct) =>
                    {
                        if (operation.Value is { } value)
                        {
                            await node.Rpc.SetAsync(operation.Table, operation.Key, value, ct).ConfigureAwait(false);
                        }
                        else
                        {
                            await node.Rpc.DeleteAsync(operation.Table, operation.Key, ct).ConfigureAwait(false);
                        }
                    }).ConfigureAwait(false);
                metrics.KeysPushed(keyed.Count);
            }
            catch (EdgeRpcException ex)
            {
                MarkStale(node, ex);
            }
        })).ConfigureAwait(false);
        Interlocked.Increment(ref _batches);
        Log.Pushed(logger, batch.Count, keyed.Count, reload.Count);
        PublishNodeGauges();
    }

    private async Task CheckNodesAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_nodes.Select(async node =>
        {
            try
            {
                var started = await node.Rpc.StartedAsync(cancellationToken).ConfigureAwait(false);
                if (node.StartedAt is { } known && known != started && !node.Stale)
                {
                    Log.Restarted(logger, node.Rpc.Url);
                    node.Stale = true;
                }

                node.StartedAt = started;
            }
            catch (EdgeRpcException ex)
            {
                MarkStale(node, ex);
                return;
            }

            if (node.Stale)
            {
                await SyncAsync(node, cancellationToken).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        PublishNodeGauges();
    }

    /// <summary>Reloads every table of a stale node from the database (what the mirror was built from, or newer).</summary>
    private async Task SyncAsync(EdgeNode node, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var table in EdgeTable.All)
            {
                await node.Rpc.ReloadAsync(table, cancellationToken).ConfigureAwait(false);
                metrics.Reloaded();
            }

            node.Stale = false;
            Log.InSync(logger, node.Rpc.Url);
        }
        catch (EdgeRpcException ex)
        {
            MarkStale(node, ex);
        }
    }

    private void MarkStale(EdgeNode node, EdgeRpcException ex)
    {
        metrics.Failed();
        if (!node.Stale || !node.Reported)
        {
            Log.Unreachable(logger, node.Rpc.Url, ex.Message);
            node.Reported = true;
        }

        node.Stale = true;
    }

    private void PublishNodeGauges() => metrics.SetNodes(_nodes.Count, _nodes.Count(n => !n.Stale));

    private sealed class EdgeNode(EdgeRpcClient rpc)
    {
        public EdgeRpcClient Rpc { get; } = rpc;

        /// <summary>Until the first successful reload a node is stale: it may hold a table older than the database.</summary>
        public bool Stale { get; set; } = true;

        public bool Reported { get; set; }

        public string? StartedAt { get; set; }
    }
}
