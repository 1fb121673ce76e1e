namespace GatewayAgent.Controller.Probing;

/// <summary>
/// The prober's self-check (docs/probing.md): canary calls, at most one in flight and their starts at least
/// CanarySpacing apart. Each round has its canary; a miss also waits for a canary call started after it was observed
/// (its post-miss check), shared by every miss observed before that call started.
/// </summary>
public sealed partial class ProbeScheduler
{
    private const int KeptCanaryRounds = 16;

    private readonly Dictionary<long, TaskCompletionSource<bool>> _canaryVerdicts = [];
    private CanaryCall? _nextCanary;
    private bool _canaryDialling;
    private long _lastCanaryStart = long.MinValue;
    private long _canaryTimerDue = long.MaxValue;
    private ITimer? _canaryTimer;
    private bool _canaryDown;
    private DateTimeOffset? _canaryDownSince;

    /// <summary>Since when the canary has been missing (the first miss after it last answered); null while it answers.</summary>
    public DateTimeOffset? CanaryDownSince
    {
        get
        {
            lock (_gate)
            {
                return _canaryDownSince;
            }
        }
    }

    /// <summary>The verdict of the canary of the round a probe starting at <paramref name="started"/> belongs to; null without a canary.</summary>
    private Task<bool>? RoundVerdict(DateTimeOffset started)
    {
        if (_canary is null)
        {
            return null;
        }

        lock (_gate)
        {
            return CanaryVerdict(started.UtcTicks / _roundTicks).Task;
        }
    }

    /// <summary>
    /// A miss counts only when the canary answered in the probe's round and in a canary call started after the miss
    /// was observed (so trouble that began while the probe was ringing out is caught too); otherwise it is the
    /// prober's own trouble. The post-miss check is the next canary call to start: at once when none is dialling and
    /// the last one started CanarySpacing ago, else as soon as that allows.
    /// </summary>
    private async Task<ProbeOutcome> JudgeMissAsync(Task<bool>? roundVerdict, CancellationToken cancellationToken)
    {
        if (roundVerdict is null)
        {
            return ProbeOutcome.Missed;
        }

        if (roundVerdict.IsCompletedSuccessfully && !roundVerdict.Result)
        {
            return ProbeOutcome.ProberDegraded; // the canary of its round missed: no need to ask again
        }

        Task<bool> check;
        CanaryCall? start;
        lock (_gate)
        {
            _nextCanary ??= new CanaryCall();
            check = _nextCanary.Verdict;
            start = TakeDueCanaryCall();
        }

        StartCanary(start, cancellationToken);
        var up = await roundVerdict.WaitAsync(cancellationToken).ConfigureAwait(false) &&
                 await check.WaitAsync(cancellationToken).ConfigureAwait(false);
        return up ? ProbeOutcome.Missed : ProbeOutcome.ProberDegraded;
    }

    /// <summary>The round's canary: the next canary call to start (at once unless one is dialling or started too recently).</summary>
    private void ScheduleRoundCanary(long round, CancellationToken cancellationToken)
    {
        CanaryCall? start;
        lock (_gate)
        {
            _nextCanary ??= new CanaryCall();
            _nextCanary.Rounds.Add(CanaryVerdict(round));
            foreach (var (skipped, verdict) in _canaryVerdicts)
            {
                if (skipped > _lastRound && skipped < round && !verdict.Task.IsCompleted)
                {
                    // A round the loop skipped (it was busy past a round boundary) takes this round's verdict.
                    _nextCanary.Rounds.Add(verdict);
                }
            }

            // Older verdicts are all settled or owned by a canary call; probes keep the task they took at their start.
            _canaryVerdicts.Keys.Where(r => r < round - KeptCanaryRounds).ToList().ForEach(r => _canaryVerdicts.Remove(r));
            start = TakeDueCanaryCall();
        }

        StartCanary(start, cancellationToken);
    }

    /// <summary>The spacing timer: the next canary call may start now.</summary>
    private void OnCanaryTimer()
    {
        CanaryCall? start;
        lock (_gate)
        {
            _canaryTimerDue = long.MaxValue;
            start = TakeDueCanaryCall();
        }

        StartCanary(start, _stopping);
    }

    /// <summary>
    /// The call that starts now, if one is wanted, none is dialling and the last started CanarySpacing ago; otherwise
    /// arms the timer for when spacing allows (a call that ends starts the next itself). Caller holds the lock.
    /// </summary>
    private CanaryCall? TakeDueCanaryCall()
    {
        if (_nextCanary is null || _canaryDialling || _stopping.IsCancellationRequested)
        {
            return null;
        }

        var now = _time.GetUtcNow().UtcTicks;
        var due = _lastCanaryStart == long.MinValue ? now : _lastCanaryStart + _canarySpacingTicks;
        if (due > now)
        {
            if (_canaryTimerDue != due)
            {
                // A new one-shot timer each time: re-arming a timer from its own callback is not reliable everywhere.
                _canaryTimerDue = due;
                _canaryTimer?.Dispose();
                _canaryTimer = _time.CreateTimer(_ => OnCanaryTimer(), null, TimeSpan.FromTicks(due - now), Timeout.InfiniteTimeSpan);
            }

            return null;
        }

        var call = _nextCanary;
        _nextCanary = null;
        _canaryDialling = true;
        _lastCanaryStart = now;
        return call;
    }

    private void StartCanary(CanaryCall? call, CancellationToken cancellationToken)
    {
        if (call is not null)
        {
            _ = RunCanaryAsync(call, cancellationToken);
        }
    }

    private async Task RunCanaryAsync(CanaryCall call, CancellationToken cancellationToken)
    {
        var round = _time.GetUtcNow().UtcTicks / _roundTicks;
        _metrics.OnCanaryPlaced(call.Check);
        var dial = await DialAsync(_canary!, cancellationToken).ConfigureAwait(false);
        if (dial is null)
        {
            lock (_gate)
            {
                _canaryDialling = false; // stopping: the misses waiting on it are cancelled with the same token
            }

            return;
        }

        var classification = ProbeClassifier.Classify(dial);
        var up = classification.Outcome == ProbeOutcome.Reached;
        bool changed;
        CanaryCall? next;
        lock (_gate)
        {
            changed = _canaryDown == up;
            _canaryDown = !up;
            _canaryDownSince = up ? null : _canaryDownSince ?? _time.GetUtcNow();
            _canaryHealth?.Set(_canaryDownSince);
            _canaryDialling = false;
            next = TakeDueCanaryCall();
        }

        if (!up)
        {
            _metrics.OnCanaryMissed(call.Check);
            if (call.Rounds.Count > 0 || changed)
            {
                // Every round canary's miss, but a post-miss check's only when the canary just went down (no log storm).
                ProbingLog.CanaryMissed(_logger, round, call.Check, classification.Detail);
            }
        }
        else if (changed)
        {
            ProbingLog.CanaryRecovered(_logger, round);
        }

        call.Complete(up);
        StartCanary(next, cancellationToken);
    }

    private TaskCompletionSource<bool> CanaryVerdict(long round)
    {
        if (!_canaryVerdicts.TryGetValue(round, out var verdict))
        {
            verdict = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _canaryVerdicts.Add(round, verdict);
        }

        return verdict;
    }
}
