using GatewayAgent.Contracts;
using GatewayAgent.Controller.Probing;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Applies one decoded agent message: live status from birth/will and telemetry, idempotent event storage,
/// seq-gap detection with rebirth requests, and dying-gasp triggers for fast probing (DESIGN.md flow 5).
/// Called by the ingest worker that owns the site, so one site's messages are applied in order.
/// </summary>
internal sealed class TelemetryIngestor(
    SiteLiveStatusRegistry registry,
    ISiteDirectory directory,
    ISiteEventLog eventLog,
    IEnumerable<IFastProbing> fastProbing,
    MqttSiteCommander commander,
    IngestMetrics metrics,
    IOptions<TelemetryIngestOptions> options,
    TimeProvider timeProvider,
    ILogger<TelemetryIngestor> logger)
{
    public const string CauseOffline = "offline";
    private const string WillReason = "will";

    private readonly IFastProbing[] _fastProbing = fastProbing.ToArray();
    private readonly TelemetryIngestOptions _options = options.Value;

    public Task ApplyAsync(InboundMessage message, CancellationToken cancellationToken) => message switch
    {
        InboundState state => ApplyStateAsync(state, cancellationToken),
        InboundTelemetry telemetry => ApplyTelemetry(telemetry),
        InboundEvent agentEvent => ApplyEventAsync(agentEvent, cancellationToken),
        _ => Task.CompletedTask,
    };

    private async Task ApplyStateAsync(InboundState message, CancellationToken cancellationToken)
    {
        var track = registry.Track(message.SiteId);
        var state = message.State;
        if (track.BdSeq is long current && state.BdSeq < current && !(state.Online && track.KnownOnline != true))
        {
            // A will of an older session arriving after the new birth must not mark the site offline. A birth with a
            // lower bdSeq after an offline state or a will is a site that lost its birth.json (an SD card swapped, a
            // restore): it starts a new baseline instead of silencing the site until the controller restarts
            // (issue 12 item 5).
            IngestLog.StaleState(logger, message.SiteId, state.BdSeq, current);
            return;
        }

        if (track.BdSeq is long previous && state.BdSeq < previous)
        {
            IngestLog.BirthSequenceReset(logger, message.SiteId, state.BdSeq, previous);
        }

        var wasOnline = track.KnownOnline;
        track.BdSeq = state.BdSeq;
        track.KnownOnline = state.Online;
        if (state.Online)
        {
            // Seq gaps are judged per bdSeq: a birth starts a new baseline.
            track.LastEventSeq = null;
            var at = message.ReceivedAt;
            registry.Record(new SiteLiveRecord(message.SiteId)
            {
                Online = true,
                OnlineAt = at,
                Version = state.Version,
                VersionAt = state.Version is null ? null : at,
                LastSeen = at,
            });
            if (wasOnline != true)
            {
                IngestLog.SiteOnline(logger, message.SiteId, state.BdSeq, state.Version);
            }

            return;
        }

        registry.Record(new SiteLiveRecord(message.SiteId) { Online = false, OnlineAt = message.ReceivedAt });
        if (wasOnline != false)
        {
            IngestLog.SiteOffline(logger, message.SiteId, state.BdSeq, state.Reason);
        }

        // The will (connection lost) is a dying gasp; a clean stop is not. A will replayed from the retained
        // store when the controller (re)subscribes is old news: probing finds such a site on its own.
        if (string.Equals(state.Reason, WillReason, StringComparison.Ordinal) && !message.RetainedReplay && wasOnline != false)
        {
            await TriggerFastProbingAsync(message.SiteId, CauseOffline, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task ApplyTelemetry(InboundTelemetry message)
    {
        var track = registry.Track(message.SiteId);
        var snapshot = message.Snapshot;
        var at = message.ReceivedAt;
        var battery = snapshot.Battery?.ChargePercent;

        // Telemetry flows only over a live session, so it also proves the site online (a controller that
        // joined a shared subscription never sees the retained birth).
        registry.Record(new SiteLiveRecord(message.SiteId)
        {
            Online = true,
            OnlineAt = at,
            Power = snapshot.Power,
            PowerAt = at,
            BatteryPercent = battery,
            BatteryAt = battery is null ? null : at,
            Wan = snapshot.Wan,
            WanAt = at,
            LastSeen = at,
        });
        track.KnownOnline = true;
        return Task.CompletedTask;
    }

    private async Task ApplyEventAsync(InboundEvent message, CancellationToken cancellationToken)
    {
        var agentEvent = message.Event;
        var added = await eventLog.TryAddAsync(message.SiteId, agentEvent, message.ReceivedAt, cancellationToken).ConfigureAwait(false);
        // Stored (now or before): the broker may acknowledge it; what follows is live status and triggers, not storage.
        message.Receipt?.Committed();
        if (!added)
        {
            metrics.DuplicateEvent();
            IngestLog.DuplicateEvent(logger, agentEvent.Id, message.SiteId);
            return;
        }

        metrics.EventIngested();
        var track = registry.Track(message.SiteId);
        var at = message.ReceivedAt;
        var change = new SiteLiveRecord(message.SiteId) { LastSeen = at };
        if (!agentEvent.Historical)
        {
            change = agentEvent.Type switch
            {
                EventTypes.PowerLost => change with { Power = "battery", PowerAt = at },
                EventTypes.PowerRestored => change with { Power = "mains", PowerAt = at },
                EventTypes.WanDown => change with { Wan = "down", WanAt = at },
                EventTypes.WanUp => change with { Wan = "up", WanAt = at },
                _ => change,
            };
            await CheckSeqAsync(track, agentEvent.Seq, cancellationToken).ConfigureAwait(false);
            change = change with { LastSeq = track.LastEventSeq ?? agentEvent.Seq, SeqAt = at };
        }

        registry.Record(change);

        if (agentEvent.Type is EventTypes.PowerLost or EventTypes.WanDown
            && (!agentEvent.Historical || timeProvider.GetUtcNow() - agentEvent.Ts <= _options.HistoricalTriggerAge))
        {
            await TriggerFastProbingAsync(message.SiteId, agentEvent.Type, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CheckSeqAsync(SiteTrack track, long seq, CancellationToken cancellationToken)
    {
        var last = track.LastEventSeq;
        track.LastEventSeq = last is long l ? Math.Max(l, seq) : seq;
        if (last is not long previous || seq <= previous + 1)
        {
            return;
        }

        // With several nodes in one shared subscription a site's events are split between them: what this node missed
        // may be stored by another (issue 14). Only seqs stored by no node are a gap. (An event still being committed
        // by another node counts as missing: a rebirth the cooldown bounds, as before.)
        var missing = seq - previous - 1;
        try
        {
            if (await eventLog.CountStoredSeqsAsync(track.SiteId, previous, seq, cancellationToken).ConfigureAwait(false) >= missing)
            {
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            IngestLog.SeqGapCheckFailed(logger, ex, track.SiteId); // judged a gap: a rebirth costs less than a missed one
        }

        metrics.SeqGap();
        IngestLog.SeqGap(logger, track.SiteId, seq, previous, missing);
        var now = timeProvider.GetUtcNow();
        if (track.LastRebirthRequest is DateTimeOffset asked && now - asked < _options.RebirthCooldown)
        {
            return;
        }

        track.LastRebirthRequest = now;
        try
        {
            await commander.RequestAsync(track.SiteId, CommandVerbs.Rebirth, cancellationToken).ConfigureAwait(false);
            IngestLog.RebirthRequested(logger, track.SiteId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            IngestLog.RebirthFailed(logger, ex, track.SiteId);
        }
    }

    private async Task TriggerFastProbingAsync(string siteId, string cause, CancellationToken cancellationToken)
    {
        if (_fastProbing.Length == 0)
        {
            return;
        }

        var contractId = await directory.FindContractAsync(siteId, cancellationToken).ConfigureAwait(false);
        if (contractId is not long id)
        {
            IngestLog.NoContractForTrigger(logger, siteId, cause);
            return;
        }

        IngestLog.FastProbingTriggered(logger, id, siteId, cause);
        foreach (var probing in _fastProbing)
        {
            probing.Trigger(id, cause);
        }
    }
}
