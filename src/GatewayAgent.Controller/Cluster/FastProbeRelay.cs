using System.Globalization;
using System.Threading.Channels;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// Dying gasp across nodes (docs/scale-out.md): the node whose ingest receives a site's power.lost may not own the
/// site's contract. A trigger is started at once when this node owns the contract, and on PostgreSQL it is also written
/// to probe_triggers; every node reads, each TriggerPoll, the triggers other nodes wrote for the shards it owns and
/// starts fast probing for them. A node that takes a shard over also starts the shard's triggers younger than
/// TriggerRetention, so the fast phase of a killed node goes on. On SQLite it hands every trigger to the local scheduler.
/// </summary>
public sealed class FastProbeRelay : BackgroundService, IFastProbing
{
    private readonly IFastProbing _local;
    private readonly ControllerDatabase _database;
    private readonly IProbeOwnership _ownership;
    private readonly ClusterOptions _options;
    private readonly ClusterMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<OutgoingTrigger> _outgoing = Channel.CreateUnbounded<OutgoingTrigger>();
    private readonly Dictionary<long, DateTimeOffset> _seen = [];
    private readonly SemaphoreSlim _pump = new(1, 1);
    private HashSet<int> _known = [];
    private DateTimeOffset? _lastPoll;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public FastProbeRelay(
        IFastProbing local,
        ControllerDatabase database,
        IProbeOwnership ownership,
        IOptions<ClusterOptions> options,
        ClusterMetrics metrics,
        TimeProvider time,
        ILogger<FastProbeRelay> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _local = local;
        _database = database;
        _ownership = ownership;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// How far back each poll reads before the previous one: a trigger row becomes visible when its writer commits,
    /// which may be a little after the time written in it (and the writer's clock may differ a little).
    /// </summary>
    internal TimeSpan CommitSlack => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, _options.TriggerPoll.Ticks * 5));

    public void Trigger(long contractId, string cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        if (!_ownership.Clustered)
        {
            _local.Trigger(contractId, cause);
            return;
        }

        if (_ownership.Owns(contractId))
        {
            _local.Trigger(contractId, cause);
        }

        // Also when owned here: if this node loses the shard during the fast phase, its next owner picks it up.
        _outgoing.Writer.TryWrite(new OutgoingTrigger(contractId, cause, _time.GetUtcNow()));
    }

    /// <summary>Writes the triggers received here and starts those other nodes wrote for this node's shards (one poll).</summary>
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        if (!_ownership.Clustered)
        {
            return;
        }

        await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            await PollAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pump.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_ownership.Clustered)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using (var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    var delay = Task.Delay(_options.TriggerPoll, _time, wake.Token);
                    var incoming = _outgoing.Reader.WaitToReadAsync(wake.Token).AsTask();
                    await Task.WhenAny(delay, incoming).ConfigureAwait(false);
                    await wake.CancelAsync().ConfigureAwait(false);
                }

                stoppingToken.ThrowIfCancellationRequested();
                await PumpAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.TriggerRelayFailed(_logger, ex);
                await Task.Delay(_options.TriggerPoll, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<OutgoingTrigger>();
        while (batch.Count < 1000 && _outgoing.Reader.TryRead(out var trigger))
        {
            batch.Add(trigger);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await _database.WriteAsync(
                async (connection, transaction) =>
                {
                    foreach (var trigger in batch)
                    {
                        await using var insert = connection.CreateCommand(transaction, """
                            INSERT INTO probe_triggers (contract_id, shard, cause, origin, created_at) VALUES (@c, @s, @cause, @origin, @at)
                            """);
                        insert.AddParameter("@c", trigger.ContractId).AddParameter("@s", (long)ContractShard.Of(trigger.ContractId, _ownership.Shards))
                            .AddParameter("@cause", trigger.Cause).AddParameter("@origin", _ownership.NodeId).AddParameter("@at", trigger.At);
                        await insert.ExecuteNonQueryAsync(cancellationToken);
                    }

                    return batch.Count;
                },
                cancellationToken).ConfigureAwait(false);
            _metrics.TriggersSent(batch.Count);
        }
        catch
        {
            foreach (var trigger in batch)
            {
                _outgoing.Writer.TryWrite(trigger); // written at the next poll
            }

            throw;
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var owned = _ownership.OwnedShards();
        var gained = owned.Where(s => !_known.Contains(s)).ToList();
        var oldest = now - _options.TriggerRetention;
        var since = _lastPoll is { } last ? last - CommitSlack : oldest;
        if (owned.Count > 0)
        {
            var rows = await _database.ReadAsync(
                async connection =>
                {
                    // New rows of the owned shards, and for shards just gained every row still kept (a takeover).
                    var gainedClause = gained.Count > 0 && _lastPoll is not null
                        ? $" OR (shard IN ({ShardTable.InList(gained)}) AND created_at >= @oldest)"
                        : "";
                    await using var select = connection.CreateCommand(null, string.Create(CultureInfo.InvariantCulture, $"""
                        SELECT id, contract_id, cause, origin, created_at FROM probe_triggers
                        WHERE origin <> @self AND shard IN ({ShardTable.InList(owned)}) AND (created_at >= @since{gainedClause})
                        ORDER BY id
                        """));
                    select.AddParameter("@self", _ownership.NodeId).AddParameter("@since", since);
                    if (gainedClause.Length > 0)
                    {
                        select.AddParameter("@oldest", oldest);
                    }

                    await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                    var found = new List<(long Id, long ContractId, string Cause, string Origin, DateTimeOffset At)>();
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        found.Add((reader.Long(0), reader.Long(1), reader.GetString(2), reader.GetString(3), reader.Time(4)));
                    }

                    return found;
                },
                cancellationToken).ConfigureAwait(false);

            foreach (var row in rows)
            {
                if (!_seen.TryAdd(row.Id, row.At) || !_ownership.Owns(row.ContractId))
                {
                    continue;
                }

                _metrics.TriggerReceived();
                Log.RemoteTrigger(_logger, row.ContractId, row.Cause, row.Origin);
                _local.Trigger(row.ContractId, row.Cause);
            }
        }

        _known = owned.ToHashSet();
        _lastPoll = now;
        foreach (var id in _seen.Where(s => s.Value < oldest - CommitSlack).Select(s => s.Key).ToList())
        {
            _seen.Remove(id);
        }

        if (now - _lastPrune >= _options.TriggerRetention / 4)
        {
            _lastPrune = now;
            await _database.WriteAsync(
                async (connection, transaction) =>
                {
                    await using var prune = connection.CreateCommand(transaction, "DELETE FROM probe_triggers WHERE created_at < @old");
                    prune.AddParameter("@old", oldest - CommitSlack);
                    return await prune.ExecuteNonQueryAsync(cancellationToken);
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _pump.Dispose();
        base.Dispose();
    }

    private sealed record OutgoingTrigger(long ContractId, string Cause, DateTimeOffset At);
}
