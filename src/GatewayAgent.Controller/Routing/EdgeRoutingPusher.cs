using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Routing;

/// <summary>
/// Keeps every edge node's routing tables equal to the database views (docs/routing.md). Each committed change
/// (<see cref="EdgeRoutingChanges"/>) is read back from the views, compared with what was last pushed
/// (<see cref="EdgeMirror"/>), and the keys that differ go to every node at once. When one table has more changed keys
/// than <see cref="EdgeOptions.ReloadThreshold"/> in one batch (a storm), that table is reloaded from the database
/// instead. Each node has its own worker (<see cref="EdgeNodeWorker"/>): a node that fails a call, or restarted,
/// reloads every table when it answers again, and a slow node never delays the others. The edge keeps routing by its
/// last tables while the controller is down. This is how a switch reaches every number of the contract at once (BF-1)
/// and calls follow it (BF-3).
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
    private readonly EdgeOptions _options = options.Value;
    private readonly EdgeMirror _mirror = new();
    private List<EdgeNodeWorker> _nodes = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: the edge keeps its tables, and the next controller start reloads every node
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
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
        _nodes = [.. _options.RpcUrls.Select(u => new EdgeNodeWorker(new EdgeRpcClient(http, new Uri(u), _options.Timeout), _options, metrics, time, logger))];
        changes.Take();
        _mirror.ApplyAll(await ReadAllUntilStoppedAsync(stoppingToken).ConfigureAwait(false));
        var (numbers, contracts) = (_mirror.Count(EdgeTable.Numbers), _mirror.Count(EdgeTable.Contracts));
        Log.Started(logger, _nodes.Count, numbers, contracts);
        // every node starts stale: its first step is a reload of every table (it may hold a table older than the database)
        var workers = _nodes.Select(n => Task.Run(() => n.RunAsync(stoppingToken), stoppingToken)).ToList();
        using var gauges = new Timer(_ => PublishNodeGauges(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await changes.WaitAsync(stoppingToken).ConfigureAwait(false);
                var batch = changes.Take();
                if (batch.Count > 0)
                {
                    await PushAsync(batch, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            foreach (var node in _nodes)
            {
                node.Dispose();
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
                node.MarkStale();
            }

            return;
        }

        var byTable = operations.GroupBy(o => o.Table).ToList();
        var keyed = byTable.Where(g => g.Count() <= _options.ReloadThreshold).SelectMany(g => g).ToList();
        var reloads = byTable.Where(g => g.Count() > _options.ReloadThreshold).Select(g => g.Key).ToList();
        foreach (var node in _nodes)
        {
            foreach (var table in reloads)
            {
                node.Enqueue(new EdgeWork([], table));
            }

            if (keyed.Count > 0)
            {
                node.Enqueue(new EdgeWork(keyed));
            }
        }

        Log.Pushed(logger, batch.Count, keyed.Count, reloads.Count);
    }

    private void PublishNodeGauges() => metrics.SetNodes(_nodes.Count, _nodes.Count(n => n.InSync));
}
