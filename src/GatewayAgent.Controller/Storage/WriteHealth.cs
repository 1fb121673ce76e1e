using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Storage;

/// <summary>
/// Whether the controller's writes are getting through (issue 12 item 9), for /healthz and /metrics: every
/// <see cref="ControllerDatabase.WriteAsync"/> is tracked from its start (including its wait for the SQLite writer
/// gate) to its commit or failure. Unhealthy when the last database error is newer than the last commit (writes fail),
/// or when a write has waited longer than <see cref="StorageOptions.MaxCommitAge"/> with no commit since it started
/// (the store hangs: a lock, a full disk that blocks, a dead server). An idle controller is healthy: no commit is due.
/// Meter "GatewayAgent.Controller.Storage": gateway.storage.write_failures, gateway.storage.commits,
/// gateway.storage.last_commit_age.
/// </summary>
public sealed class WriteHealth
{
    public const string MeterName = "GatewayAgent.Controller.Storage";

    private readonly TimeProvider _time;
    private readonly TimeSpan _maxCommitAge;
    private readonly ConcurrentDictionary<long, long> _pending = new();
    private readonly Counter<long>? _failures;
    private readonly Counter<long>? _commits;
    private long _nextId;
    private long _lastCommit = long.MinValue;
    private long _failureTotal;
    private long _outcomes;
    private long _lastCommitOrder;
    private long _lastFailureOrder;
    private string? _lastError;

    public WriteHealth(TimeProvider time, IOptions<StorageOptions> options, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _maxCommitAge = options.Value.MaxCommitAge;
        if (meterFactory is not null)
        {
            var meter = meterFactory.Create(MeterName);
            _failures = meter.CreateCounter<long>("gateway.storage.write_failures", "{write}", "Database writes that failed with a database error (rolled back)");
            _commits = meter.CreateCounter<long>("gateway.storage.commits", "{write}", "Database writes committed");
            meter.CreateObservableGauge("gateway.storage.last_commit_age", () => LastCommitAge?.TotalSeconds ?? -1, "s",
                "Seconds since the last commit (-1: none since the start)");
        }
    }

    /// <summary>Database writes that failed since the start.</summary>
    public long FailureTotal => Interlocked.Read(ref _failureTotal);

    public TimeSpan? LastCommitAge
    {
        get
        {
            var last = Interlocked.Read(ref _lastCommit);
            return last == long.MinValue ? null : TimeSpan.FromTicks(Now - last);
        }
    }

    private long Now => _time.GetUtcNow().UtcTicks;

    internal long Begin()
    {
        var id = Interlocked.Increment(ref _nextId);
        _pending[id] = Now;
        return id;
    }

    internal void Committed(long id)
    {
        _pending.TryRemove(id, out _);
        Interlocked.Exchange(ref _lastCommit, Now);
        Interlocked.Exchange(ref _lastCommitOrder, Interlocked.Increment(ref _outcomes));
        _commits?.Add(1);
    }

    internal void Failed(long id, Exception error)
    {
        _pending.TryRemove(id, out _);
        Volatile.Write(ref _lastError, error.Message);
        Interlocked.Exchange(ref _lastFailureOrder, Interlocked.Increment(ref _outcomes));
        Interlocked.Increment(ref _failureTotal);
        _failures?.Add(1);
    }

    /// <summary>The write ended without a database error and without a commit (rolled back by its own rule, cancelled).</summary>
    internal void Ended(long id) => _pending.TryRemove(id, out _);

    /// <summary>Null when writes get through; otherwise why not, for /healthz.</summary>
    public string? Problem()
    {
        // Ordered by a sequence, not by time: a commit and a failure may share a clock tick.
        if (Interlocked.Read(ref _lastFailureOrder) > Interlocked.Read(ref _lastCommitOrder))
        {
            return $"database writes failing: {Volatile.Read(ref _lastError)}";
        }

        var lastCommit = Interlocked.Read(ref _lastCommit);
        var now = Now;
        foreach (var started in _pending.Values)
        {
            var waiting = TimeSpan.FromTicks(now - started);
            if (waiting > _maxCommitAge && lastCommit < started)
            {
                return $"no commit for {waiting.TotalSeconds:0} s while a write waits (limit {_maxCommitAge.TotalSeconds:0} s)";
            }
        }

        return null;
    }
}
