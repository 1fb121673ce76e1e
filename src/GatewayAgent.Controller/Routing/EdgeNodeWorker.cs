namespace GatewayAgent.Controller.Routing;

/// <summary>
/// Keeps one edge node current, on its own, so a slow or unreachable node never delays the others. It applies the
/// pusher's work in order. When a call fails, or the node restarted, the node is stale: queued work is dropped and the
/// worker reloads every table from the database views, retrying every check interval until it answers. The reload's
/// snapshot is newer than anything dropped. Work queued while a reload runs is kept and applied after it.
/// </summary>
internal sealed class EdgeNodeWorker(EdgeRpcClient rpc, EdgeOptions options, EdgeMetrics metrics, TimeProvider time, ILogger logger) : IDisposable
{
    /// <summary>JSON-RPC calls in flight to this node while applying one step.</summary>
    private const int Parallelism = 8;

    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Queue<EdgeWork> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private bool _stale = true;
    private bool _reloading;
    private DateTimeOffset? _reportedAt;
    private string? _startedAt;
    private long _applied;

    public Uri Url => rpc.Url;

    /// <summary>Holds the current table: not stale, not reloading.</summary>
    public bool InSync
    {
        get
        {
            lock (_gate)
            {
                return !_stale && !_reloading;
            }
        }
    }

    /// <summary>Steps applied to the node (for tests: a change is at the edge once this passes it).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Queues a step; a stale node drops it, since the reload it waits for will read a newer state.</summary>
    public void Enqueue(EdgeWork work)
    {
        lock (_gate)
        {
            if (_stale)
            {
                return;
            }

            _queue.Enqueue(work);
        }

        _signal.Release();
    }

    /// <summary>A stale node (a view read failed): reload when possible.</summary>
    public void MarkStale()
    {
        lock (_gate)
        {
            _stale = true;
            _queue.Clear();
        }

        _signal.Release();
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var nextCheck = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (IsStale())
            {
                if (!await ReloadAsync(stoppingToken).ConfigureAwait(false))
                {
                    await Task.Delay(options.CheckInterval, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                nextCheck = time.GetUtcNow() + options.CheckInterval;
            }

            var wait = nextCheck - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await _signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }

            if (time.GetUtcNow() >= nextCheck)
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
                nextCheck = time.GetUtcNow() + options.CheckInterval;
            }

            while (Next() is { } steps)
            {
                var applied = true;
                foreach (var work in steps)
                {
                    if (!await ApplyAsync(work, stoppingToken).ConfigureAwait(false))
                    {
                        applied = false;
                        break;
                    }
                }

                if (!applied)
                {
                    break;
                }
            }
        }
    }

    private bool IsStale()
    {
        lock (_gate)
        {
            return _stale;
        }
    }

    /// <summary>
    /// Everything queued, as one step (<see cref="Coalesce"/>): a node that fell behind catches up in one reload
    /// instead of working through every key it missed.
    /// </summary>
    private IReadOnlyList<EdgeWork>? Next()
    {
        lock (_gate)
        {
            if (_stale || _queue.Count == 0)
            {
                return null;
            }

            var queued = _queue.ToList();
            _queue.Clear();
            return Coalesce(queued, options.ReloadThreshold);
        }
    }

    /// <summary>
    /// Merges queued steps: a later value of a key replaces an earlier one, a table that is reloaded needs none of its
    /// keys (the reload reads the database when it runs, after every queued step was read), and a table with more than
    /// <paramref name="reloadThreshold"/> keys is reloaded instead. Reloads come first, then the keys.
    /// </summary>
    internal static IReadOnlyList<EdgeWork> Coalesce(IReadOnlyList<EdgeWork> queued, int reloadThreshold)
    {
        if (queued.Count == 1 && queued[0].Reload is null && queued[0].Operations.Count <= reloadThreshold)
        {
            return queued;
        }

        var reloads = new HashSet<EdgeTable>();
        var latest = new Dictionary<(EdgeTable, string), EdgeOperation>();
        foreach (var work in queued)
        {
            if (work.Reload is { } table)
            {
                reloads.Add(table);
            }

            foreach (var operation in work.Operations)
            {
                latest[(operation.Table, operation.Key)] = operation; // the steps of one call run in parallel: order does not matter
            }
        }

        foreach (var table in latest.Values.GroupBy(o => o.Table).Where(g => g.Count() > reloadThreshold).Select(g => g.Key).ToList())
        {
            reloads.Add(table);
        }

        var steps = EdgeTable.All.Where(reloads.Contains).Select(t => new EdgeWork([], t)).ToList();
        var keys = latest.Values.Where(o => !reloads.Contains(o.Table)).ToList();
        if (keys.Count > 0)
        {
            steps.Add(new EdgeWork(keys));
        }

        return steps;
    }

    private async Task<bool> ApplyAsync(EdgeWork work, CancellationToken cancellationToken)
    {
        try
        {
            if (work.Reload is { } table)
            {
                await rpc.ReloadAsync(table, options.ReloadTimeout, cancellationToken).ConfigureAwait(false);
                metrics.Reloaded();
            }

            foreach (var phase in Phases(work.Operations))
            {
                await Parallel.ForEachAsync(
                    phase,
                    new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (operation, ct) =>
                    {
                        if (operation.Value is { } value)
                        {
                            await rpc.SetAsync(operation.Table, operation.Key, value, ct).ConfigureAwait(false);
                        }
                        else
                        {
                            await rpc.DeleteAsync(operation.Table, operation.Key, ct).ConfigureAwait(false);
                        }
                    }).ConfigureAwait(false);
            }

            metrics.KeysPushed(work.Operations.Count);
            Interlocked.Increment(ref _applied);
            return true;
        }
        catch (EdgeRpcException ex)
        {
            Failed(ex);
            return false;
        }
    }

    /// <summary>
    /// A step's keys in three phases, each sent in parallel: what numbers point at first (contracts, subscribers,
    /// screening set), then the numbers, then what numbers pointed at removed. So a call never finds a number whose
    /// contract the edge does not hold yet, or holds no more (it would get 404 between the two pushes).
    /// </summary>
    internal static IEnumerable<IReadOnlyList<EdgeOperation>> Phases(IReadOnlyList<EdgeOperation> operations)
    {
        var first = operations.Where(o => o.Table != EdgeTable.Numbers && o.Value is not null).ToList();
        var numbers = operations.Where(o => o.Table == EdgeTable.Numbers).ToList();
        var last = operations.Where(o => o.Table != EdgeTable.Numbers && o.Value is null).ToList();
        return new[] { first, numbers, last }.Where(p => p.Count > 0);
    }

    /// <summary>core.uptime: a node that does not answer, or answers with a new start time (it restarted), is stale.</summary>
    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var started = await rpc.StartedAsync(cancellationToken).ConfigureAwait(false);
            var restarted = _startedAt is { } known && known != started;
            _startedAt = started;
            if (restarted)
            {
                Log.Restarted(logger, rpc.Url);
                MarkStale();
            }
        }
        catch (EdgeRpcException ex)
        {
            Failed(ex);
        }
    }

    /// <summary>Reloads every table; work queued meanwhile waits and is applied after it.</summary>
    private async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stale = false;
            _reloading = true;
            _queue.Clear();
        }

        try
        {
            _startedAt = await rpc.StartedAsync(cancellationToken).ConfigureAwait(false);
            foreach (var table in EdgeTable.All)
            {
                await rpc.ReloadAsync(table, options.ReloadTimeout, cancellationToken).ConfigureAwait(false);
                metrics.Reloaded();
            }

            lock (_gate)
            {
                _reloading = false;
            }

            _reportedAt = null;
            Log.InSync(logger, rpc.Url);
            return true;
        }
        catch (EdgeRpcException ex)
        {
            Failed(ex);
            lock (_gate)
            {
                _reloading = false;
            }

            return false;
        }
    }

    private void Failed(EdgeRpcException ex)
    {
        metrics.Failed();
        var now = time.GetUtcNow();
        if (_reportedAt is not { } reported || now - reported >= ReportEvery)
        {
            // once when it goes, then once a minute while it stays away (the gauge gateway_edge_nodes_in_sync says it too)
            Log.Unreachable(logger, rpc.Url, ex.Message);
            _reportedAt = now;
        }

        MarkStale();
    }

    public void Dispose() => _signal.Dispose();
}
