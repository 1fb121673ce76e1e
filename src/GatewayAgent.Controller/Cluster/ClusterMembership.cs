using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// This node's membership in the cluster and the shards it owns (docs/scale-out.md). On PostgreSQL it writes a
/// heartbeat every Heartbeat and, in the same transaction, renews, claims and releases shard leases by the
/// <see cref="ShardPlanner"/>; it wakes early when another node's lease is about to run out, so a killed node's shards
/// are taken over when its leases end. A lease is trusted locally only until its end: a node that cannot reach the
/// database stops probing its shards. On a clean stop it releases its shards. On SQLite it owns every contract.
/// </summary>
public sealed class ClusterMembership : BackgroundService, IProbeOwnership
{
    private readonly ShardTable _table;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClusterMetrics _metrics;
    private readonly ProbeTargetsChanged? _targetsChanged;
    private readonly IProberHealth? _health;
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<int, ShardLease> _held = new Dictionary<int, ShardLease>();
    private DateTimeOffset? _nextForeignExpiry;
    private bool _joined;
    private bool _reportedHealthy = true;

    public ClusterMembership(
        ControllerDatabase database,
        ShardTable table,
        IOptions<ClusterOptions> options,
        ClusterMetrics metrics,
        TimeProvider time,
        ILogger<ClusterMembership> logger,
        ProbeTargetsChanged? targetsChanged = null,
        IProberHealth? health = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        _table = table;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _targetsChanged = targetsChanged;
        _health = health;
        Clustered = database.Dialect.Provider == StorageProvider.Postgres;
        metrics.Observe(this);
    }

    public bool Clustered { get; }

    public int Shards => _options.Shards;

    public string NodeId => _options.NodeId;

    public TimeSpan LeaseTime => _options.LeaseTime;

    public event Action? Changed;

    public bool Owns(long contractId) => !Clustered || EpochOf(ContractShard.Of(contractId, _options.Shards)) is not null;

    public long? EpochOf(int shard)
    {
        if (!Clustered)
        {
            return 0;
        }

        var held = Volatile.Read(ref _held);
        return held.TryGetValue(shard, out var lease) && lease.IsHeldAt(_time.GetUtcNow()) ? lease.Epoch : null;
    }

    public IReadOnlyList<int> OwnedShards()
    {
        if (!Clustered)
        {
            return Enumerable.Range(0, _options.Shards).ToList();
        }

        var now = _time.GetUtcNow();
        return Volatile.Read(ref _held).Values.Where(l => l.IsHeldAt(now)).Select(l => l.Shard).Order().ToList();
    }

    /// <summary>Creates the shard rows if this is the first node, refuses a shard count other than the table's, and takes the first heartbeat.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Clustered)
        {
            await JoinAsync(cancellationToken).ConfigureAwait(false);
            await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the shard table (creating it on first use). Public for tests that drive heartbeats by hand.</summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        var existing = await _table.EnsureShardsAsync(_options.Shards, cancellationToken).ConfigureAwait(false);
        if (existing != _options.Shards)
        {
            throw new OptionsValidationException(ClusterOptions.Section, typeof(ClusterOptions), [
                $"Controller:Cluster:Shards is {_options.Shards} but the database has {existing} shards: every node must use the same count (to change it, stop all nodes and empty cluster_shards)"]);
        }

        _joined = true;
        Log.Joined(_logger, _options.NodeId, _options.Shards, _options.LeaseTime, _options.Heartbeat);
    }

    /// <summary>
    /// One heartbeat: renew, claim, release (in one transaction); then publish the new owned set. Returns the result, or
    /// null when the database could not be reached (the leases then run out on their own).
    /// </summary>
    public async Task<HeartbeatResult?> HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (!Clustered)
        {
            return null;
        }

        if (!_joined)
        {
            await JoinAsync(cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        HeartbeatResult result;
        try
        {
            result = await _table.HeartbeatAsync(_options.NodeId, IsProberHealthy(now), now, _options.LeaseTime, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _metrics.HeartbeatFailed();
            Log.HeartbeatFailed(_logger, _options.NodeId, ex);
            lock (_gate)
            {
                // Another node's lease end is a reason to wake early only with a database to take the shard from: kept,
                // it would fall into the past while the database is down and the loop would retry without pause.
                _nextForeignExpiry = null;
            }

            ExpireLapsedLeases();
            return null;
        }

        var before = result.Table.ToDictionary(s => s.Shard);
        var held = new Dictionary<int, ShardLease>();
        foreach (var shard in result.Plan.Renew)
        {
            held[shard] = new ShardLease(shard, _options.NodeId, before[shard].Epoch, result.LeaseUntil);
        }

        foreach (var shard in result.Plan.Claim)
        {
            held[shard] = new ShardLease(shard, _options.NodeId, before[shard].Epoch + 1, result.LeaseUntil);
            if (before[shard].Owner is { } previous && previous != _options.NodeId)
            {
                _metrics.TakenOver();
                Log.ShardTakenOver(_logger, shard, previous, before[shard].Epoch + 1);
            }
        }

        lock (_gate)
        {
            _nextForeignExpiry = result.NextForeignExpiry(_options.NodeId, now);
        }

        if (result.Plan.Claim.Count + result.Plan.Release.Count > 0)
        {
            Log.Rebalanced(_logger, _options.NodeId, result.LiveNodes.Count, held.Count, result.Plan.Claim.Count, result.Plan.Release.Count);
        }

        Publish(held);
        return result;
    }

    /// <summary>
    /// False once the canary has been failing for YieldAfterCanaryDown: this node reaches the database but not the
    /// sites, so its shards go to nodes that reach them (while any does).
    /// </summary>
    private bool IsProberHealthy(DateTimeOffset now)
    {
        var healthy = _options.YieldAfterCanaryDown <= TimeSpan.Zero || _health?.CanaryDownSince is not { } since || now - since < _options.YieldAfterCanaryDown;
        if (healthy != _reportedHealthy)
        {
            _reportedHealthy = healthy;
            if (healthy)
            {
                Log.ProberHealthy(_logger, _options.NodeId);
            }
            else
            {
                Log.ProberUnhealthy(_logger, _options.NodeId, _options.YieldAfterCanaryDown);
            }
        }

        return healthy;
    }

    /// <summary>Releases this node's shards and removes its node row (a clean stop), so the others take over at once.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        if (!Clustered)
        {
            return;
        }

        Publish(new Dictionary<int, ShardLease>());
        await _table.LeaveAsync(_options.NodeId, cancellationToken).ConfigureAwait(false);
        Log.Left(_logger, _options.NodeId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Clustered)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = NextWait();
            try
            {
                await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
                await HeartbeatAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LeaveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LeaveFailed(_logger, _options.NodeId, ex); // the leases run out on their own
        }
    }

    /// <summary>
    /// Until the next heartbeat: Heartbeat, or sooner when another node's lease ends first (a takeover may be due) or
    /// one of ours does (its end must stop our probing even if the heartbeat cannot reach the database).
    /// </summary>
    private TimeSpan NextWait()
    {
        var now = _time.GetUtcNow();
        var next = now + _options.Heartbeat;
        lock (_gate)
        {
            if (_nextForeignExpiry is { } foreign && foreign < next && foreign >= now)
            {
                next = foreign + TimeSpan.FromMilliseconds(1);
            }
        }

        var ownEnd = Volatile.Read(ref _held).Values.Select(l => (DateTimeOffset?)l.LeaseUntil).Min();
        if (ownEnd is { } end && end < next)
        {
            next = end;
        }

        return next > now ? next - now : TimeSpan.Zero;
    }

    private void ExpireLapsedLeases()
    {
        var now = _time.GetUtcNow();
        var held = Volatile.Read(ref _held);
        if (held.Values.Any(l => !l.IsHeldAt(now)))
        {
            Log.LeasesLapsed(_logger, _options.NodeId, held.Values.Count(l => !l.IsHeldAt(now)));
            Publish(held.Values.Where(l => l.IsHeldAt(now)).ToDictionary(l => l.Shard));
        }
    }

    private void Publish(Dictionary<int, ShardLease> held)
    {
        var previous = Interlocked.Exchange(ref _held, held);
        var changed = previous.Count != held.Count
            || held.Values.Any(l => !previous.TryGetValue(l.Shard, out var old) || old.Epoch != l.Epoch);
        if (!changed)
        {
            return;
        }

        _targetsChanged?.Notify();
        Changed?.Invoke();
    }
}
