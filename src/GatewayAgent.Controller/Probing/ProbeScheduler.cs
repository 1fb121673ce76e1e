using GatewayAgent.Controller.Detection;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Probing;

/// <summary>
/// Places one probe per contract per interval (FN-3), each contract at its stable phase plus jitter, at most
/// MaxConcurrent at once; classifies each outcome and hands it to the detector's sink (FN-4/FN-5 decide there).
/// Every round it re-reads the contract list and probes the canary: a miss counts only when the canary of its round
/// and a canary call started after the miss (its post-miss check, shared by concurrent misses) answered, else it is
/// recorded as ProberDegraded. After a dying gasp
/// (<see cref="Trigger"/>) a contract is probed at once and then every FastInterval until the rule of
/// <see cref="FastPhase"/> ends it (failure declared, FailureThreshold answers in a row, or the bound).
/// </summary>
public sealed partial class ProbeScheduler : BackgroundService, IFastProbing, IProberHealth
{
    /// <summary>What the scheduler allows the dialer beyond the probe timeout (to CANCEL and collect the 487) before it gives up itself.</summary>
    internal static readonly TimeSpan DialGrace = TimeSpan.FromSeconds(2);

    /// <summary>The first wait before storing a probe outcome again after a failed write; it doubles up to <see cref="RecordRetryMax"/>.</summary>
    internal static readonly TimeSpan RecordRetryMin = TimeSpan.FromSeconds(1);

    internal static readonly TimeSpan RecordRetryMax = TimeSpan.FromSeconds(30);

    private readonly IProbeTargetSource _source;
    private readonly IProbeOutcomeSink _sink;
    private readonly IProbeDialer _dialer;
    private readonly ProbingOptions _options;
    private readonly ProbingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProbeTarget? _canary;
    private readonly long _roundTicks;
    private readonly long _canarySpacingTicks;

    // FN-4's FailureThreshold: the fast phase's window is counted in it (FastPhase).
    private readonly int _failureThreshold;

    // Fast probes of one contract in flight at once: enough for every FastInterval within a probe's longest life.
    private readonly int _maxFastInFlight;
    private readonly SemaphoreSlim _slots;
    private readonly ProbeTargetsChanged? _targetsChanged;
    private readonly CanaryHealth? _canaryHealth;
    private readonly Random _random = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<long, ContractSchedule> _contracts = [];
    private readonly PriorityQueue<ScheduledProbe, long> _queue = new();
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _idle = NewSignal();
    private long _sleepingUntil = long.MinValue;
    private long _nextGeneration;
    private long _lastRound = long.MinValue;
    private int _refreshRequested;
    private CancellationToken _stopping;

    public ProbeScheduler(IProbeTargetSource source, IProbeOutcomeSink sink, IProbeDialer dialer, IOptions<ProbingOptions> options,
        ProbingMetrics metrics, TimeProvider time, ILogger<ProbeScheduler> logger, ProbeTargetsChanged? targetsChanged = null,
        IOptions<DetectionOptions>? detection = null, CanaryHealth? canaryHealth = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _sink = sink;
        _dialer = dialer;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _canary = _options.CanaryTarget;
        _roundTicks = _options.Round.Ticks;
        _canarySpacingTicks = _options.CanarySpacing.Ticks;
        _failureThreshold = (detection?.Value ?? new DetectionOptions()).FailureThreshold;
        _maxFastInFlight = (int)Math.Ceiling((_options.Timeout + DialGrace).Ticks / (double)_options.FastInterval.Ticks) + 1;
        _slots = new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent);
        _targetsChanged = targetsChanged;
        _canaryHealth = canaryHealth;
        if (targetsChanged is not null)
        {
            targetsChanged.Changed += OnTargetsChanged;
        }
    }

    /// <summary>A contract was created, changed or deleted: re-read the targets now, not at the next round.</summary>
    private void OnTargetsChanged()
    {
        Interlocked.Exchange(ref _refreshRequested, 1);
        lock (_gate)
        {
            _wake.TrySetResult();
        }
    }

    /// <summary>Dying gasp: probe now, then every FastInterval until <see cref="FastPhase"/> ends it.</summary>
    public void Trigger(long contractId, string cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        bool started;
        lock (_gate)
        {
            if (!_contracts.TryGetValue(contractId, out var contract))
            {
                ProbingLog.FastUnknownContract(_logger, contractId, cause);
                return;
            }

            started = contract.FastCause is null;
            if (started)
            {
                contract.FastProbes = 0;
                contract.FastAnswers = 0;
            }

            contract.FastCause = cause;
            if (started)
            {
                // At once, even while a normal probe (placed before the gasp) is in flight; this also drops the queued
                // normal probe. Already fast: the cadence goes on.
                Enqueue(contract, _time.GetUtcNow().UtcTicks);
            }

            _wake.TrySetResult();
        }

        if (started)
        {
            ProbingLog.FastStarted(_logger, contractId, cause, _options.FastInterval);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        ProbingLog.Started(_logger, _options.Interval, _options.FastInterval, _options.Timeout, _options.MaxConcurrent, _options.Round, _options.Canary ?? "none", _options.CanarySpacing);
        var nextRound = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = _time.GetUtcNow().UtcTicks;
                var refresh = Interlocked.Exchange(ref _refreshRequested, 0) == 1;
                if (now >= nextRound)
                {
                    var round = now / _roundTicks;
                    await StartRoundAsync(round, stoppingToken).ConfigureAwait(false);
                    nextRound = (round + 1) * _roundTicks;
                }
                else if (refresh)
                {
                    await RefreshTargetsAsync(stoppingToken).ConfigureAwait(false);
                }

                await DispatchDueAsync(stoppingToken).ConfigureAwait(false);
                await SleepAsync(nextRound, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                ProbingLog.LoopFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// For tests on a fake clock: completes once the loop has handled everything due at the current time and sleeps
    /// (no probe due before a later time, no trigger pending).
    /// </summary>
    internal async Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        var target = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (_sleepingUntil > target && !_wake.Task.IsCompleted)
                {
                    return;
                }

                signal = _idle.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StartRoundAsync(long round, CancellationToken cancellationToken)
    {
        if (_canary is not null)
        {
            ScheduleRoundCanary(round, cancellationToken);
        }

        _lastRound = round;
        await RefreshTargetsAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RefreshTargetsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ProbeTarget> targets;
        try
        {
            targets = await _source.GetTargetsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ProbingLog.TargetsFailed(_logger, ex);
            return;
        }

        ApplyTargets(targets);
    }

    private void ApplyTargets(IReadOnlyList<ProbeTarget> targets)
    {
        int added = 0, removed = 0, count;
        lock (_gate)
        {
            var now = _time.GetUtcNow().UtcTicks;
            var seen = new HashSet<long>();
            foreach (var target in targets)
            {
                seen.Add(target.ContractId);
                if (_contracts.TryGetValue(target.ContractId, out var contract))
                {
                    var oldInterval = IntervalTicks(contract.Target);
                    contract.Target = target;
                    if (IntervalTicks(target) != oldInterval && contract.FastCause is null && !contract.Busy)
                    {
                        EnqueueNormal(contract, now, afterTicks: now - 1);
                    }

                    continue;
                }

                contract = new ContractSchedule(target, ProbePhase.Of(target.ContractId));
                _contracts.Add(target.ContractId, contract);
                EnqueueNormal(contract, now, afterTicks: now - 1);
                added++;
            }

            if (seen.Count != _contracts.Count)
            {
                foreach (var id in _contracts.Keys.Where(id => !seen.Contains(id)).ToList())
                {
                    _contracts.Remove(id); // its queued entries are skipped as unknown
                    removed++;
                }
            }

            count = _contracts.Count;
            if (added + removed > 0)
            {
                _wake.TrySetResult();
            }
        }

        _metrics.SetContracts(count);
        if (added + removed > 0)
        {
            ProbingLog.TargetsChanged(_logger, count, added, removed);
        }
    }

    private async Task DispatchDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ContractSchedule contract;
            ProbeTarget target;
            string? fastCause;
            lock (_gate)
            {
                var now = _time.GetUtcNow().UtcTicks;
                if (!_queue.TryPeek(out var entry, out var due) || due > now)
                {
                    return;
                }

                _queue.Dequeue();
                if (!_contracts.TryGetValue(entry.ContractId, out contract!) || contract.Generation != entry.Generation)
                {
                    continue; // superseded or removed
                }

                fastCause = contract.FastCause;
                if (fastCause is null ? contract.Busy : contract.InFlight >= _maxFastInFlight)
                {
                    contract.Pending = true;
                    continue;
                }

                contract.InFlight++;
                target = contract.Target;
                if (fastCause is null)
                {
                    // The next window's slot; if the loop fell so far behind that it is already past, the one after.
                    EnqueueNormal(contract, now, afterTicks: Math.Max(now, WindowEnd(contract, entry.DueTicks) - 1));
                }
                else
                {
                    // Fast probes keep their cadence whether or not this one has ended: with a Timeout longer than the
                    // FastInterval they overlap, so four misses take 4 × FastInterval + Timeout, not 4 × Timeout.
                    Enqueue(contract, now + _options.FastInterval.Ticks);
                }
            }

            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            _ = RunProbeAsync(contract, target, fastCause, cancellationToken);
        }
    }

    private async Task SleepAsync(long nextRound, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? sleep = null;
        lock (_gate)
        {
            if (_wake.Task.IsCompleted)
            {
                _wake = NewSignal();
            }

            var wakeAt = Volatile.Read(ref _refreshRequested) == 1 ? long.MinValue : nextRound; // a refresh asked for: no sleep
            if (_queue.TryPeek(out _, out var due) && due < wakeAt)
            {
                wakeAt = due;
            }

            // The timer is armed before the loop reports itself idle, so a clock that moves on at once still wakes it.
            var now = _time.GetUtcNow().UtcTicks;
            if (wakeAt > now)
            {
                // Whole milliseconds, rounded up: the system clock's timers count in milliseconds and complete a shorter
                // delay at once, so at 1,667 probes/s (0.6 ms apart) the loop spun between dues (issue 13: half the
                // prober's CPU). A probe is placed at most 1 ms after its due time.
                wakeAt = now + (((wakeAt - now + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond) * TimeSpan.TicksPerMillisecond);
                sleep = Task.WhenAny(Task.Delay(TimeSpan.FromTicks(wakeAt - now), _time, stop.Token), _wake.Task);
                _sleepingUntil = wakeAt;
                var idle = _idle;
                _idle = NewSignal();
                idle.TrySetResult();
            }
        }

        if (sleep is null)
        {
            return;
        }

        await sleep.ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _sleepingUntil = long.MinValue;
        }
    }

    private async Task RunProbeAsync(ContractSchedule contract, ProbeTarget target, string? fastCause, CancellationToken cancellationToken)
    {
        try
        {
            var started = _time.GetUtcNow();
            var roundVerdict = RoundVerdict(started);
            ProbeDialResult? dial;
            try
            {
                _metrics.OnPlaced();
                dial = await DialAsync(target, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _metrics.OnDialled();
                _slots.Release();
            }

            if (dial is null)
            {
                return; // stopping
            }

            var classification = ProbeClassifier.Classify(dial);
            var outcome = classification.Outcome;
            if (outcome == ProbeOutcome.Missed)
            {
                outcome = await JudgeMissAsync(roundVerdict, cancellationToken).ConfigureAwait(false);
            }

            var detail = fastCause is null ? classification.Detail : $"{classification.Detail} [fast probe: {fastCause}]";
            var setup = outcome == ProbeOutcome.Reached ? dial.SetupTime : null;
            var record = new ProbeRecord(contract.ContractId, outcome, classification.Status, detail, started, setup);
            _metrics.OnRecorded(outcome, setup);
            ProbingLog.ProbeRecorded(_logger, contract.ContractId, outcome, classification.Status, detail, setup?.TotalMilliseconds);
            var settled = await RecordAsync(record, cancellationToken).ConfigureAwait(false);
            OnRecorded(contract, fastCause is not null, outcome, settled);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Hands the outcome to the sink until it is stored (issue 12 item 9): a failed write (a database error, a full
    /// disk) is counted, logged and retried after RecordRetryMin, doubling up to RecordRetryMax on the injected clock,
    /// so an outcome is never dropped while the controller runs. This contract's next probe waits for it, which keeps
    /// the detector's outcomes in order.
    /// </summary>
    private async Task<bool> RecordAsync(ProbeRecord record, CancellationToken cancellationToken)
    {
        var delay = RecordRetryMin;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _sink.RecordAsync(record, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _metrics.OnRecordFailed();
                ProbingLog.RecordFailed(_logger, record.ContractId, attempt, delay, ex);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, RecordRetryMax.Ticks));
        }
    }

    private async Task<ProbeDialResult?> DialAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        try
        {
            return await _dialer.DialAsync(target, _options.Timeout, cancellationToken)
                .WaitAsync(_options.Timeout + DialGrace, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return ProbeDialResult.TimedOut();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            ProbingLog.DialerFailed(_logger, target.ContractId, ex);
            return ProbeDialResult.TransportError(ex.Message);
        }
    }

    private void OnRecorded(ContractSchedule contract, bool wasFast, ProbeOutcome outcome, bool settled)
    {
        int fastProbes = 0;
        string? endReason = null;
        lock (_gate)
        {
            contract.InFlight--;
            if (!_contracts.TryGetValue(contract.ContractId, out var current) || !ReferenceEquals(current, contract))
            {
                return; // removed while probing
            }

            var now = _time.GetUtcNow().UtcTicks;
            if (contract.FastCause is not null)
            {
                if (wasFast)
                {
                    contract.FastProbes++;
                    contract.FastAnswers = outcome switch
                    {
                        ProbeOutcome.Reached => contract.FastAnswers + 1,
                        ProbeOutcome.Missed => 0,
                        _ => contract.FastAnswers, // ProberDegraded neither counts nor breaks the run (as in the detector)
                    };
                    endReason = FastPhase.EndReason(outcome, settled, contract.FastAnswers, contract.FastProbes, _failureThreshold);
                }

                if (endReason is not null)
                {
                    fastProbes = contract.FastProbes;
                    contract.FastCause = null;
                    contract.Pending = false;
                    EnqueueNormal(contract, now, afterTicks: now);
                }
                else if (contract.Pending)
                {
                    contract.Pending = false; // a fast probe held back by the in-flight cap
                    Enqueue(contract, now);
                }
                else
                {
                    return; // the next fast probe is queued at its cadence
                }
            }
            else if (contract.Pending && !contract.Busy)
            {
                contract.Pending = false;
                Enqueue(contract, now);
            }
            else
            {
                return;
            }

            _wake.TrySetResult();
        }

        if (endReason is not null)
        {
            ProbingLog.FastSettled(_logger, contract.ContractId, fastProbes, endReason);
        }
    }

    private long IntervalTicks(ProbeTarget target) => (target.Interval ?? _options.Interval).Ticks;

    private long WindowEnd(ContractSchedule contract, long ticks)
    {
        var interval = IntervalTicks(contract.Target);
        return ((ticks / interval) + 1) * interval;
    }

    /// <summary>Queues the contract at its phase in the first window whose slot is after <paramref name="afterTicks"/>.</summary>
    private void EnqueueNormal(ContractSchedule contract, long now, long afterTicks)
    {
        var interval = IntervalTicks(contract.Target);
        var jitter = ProbePhase.JitterTicks(interval, _options.Jitter);
        var window = afterTicks / interval;
        var due = ProbePhase.Due(contract.Phase, window, interval, jitter, _random);
        while (due <= afterTicks)
        {
            due = ProbePhase.Due(contract.Phase, ++window, interval, jitter, _random);
        }

        Enqueue(contract, Math.Max(due, now));
    }

    /// <summary>Makes this the contract's one valid queue entry (caller holds the lock).</summary>
    private void Enqueue(ContractSchedule contract, long dueTicks)
    {
        contract.Generation = ++_nextGeneration;
        _queue.Enqueue(new ScheduledProbe(contract.ContractId, contract.Generation, dueTicks), dueTicks);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Dispose()
    {
        if (_targetsChanged is not null)
        {
            _targetsChanged.Changed -= OnTargetsChanged;
        }

        lock (_gate)
        {
            _canaryTimer?.Dispose();
            _canaryTimer = null;
        }

        _slots.Dispose();
        base.Dispose();
    }
}
