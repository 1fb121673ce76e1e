using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Hosting.Watchdog;

/// <summary>
/// Sends WATCHDOG=1 to systemd every <see cref="WatchdogSettings.PingInterval"/>, but only when every
/// <see cref="IWatchdogHealthCheck"/> passes in time. An unhealthy or hung agent stops pinging and systemd kills and
/// restarts it (WatchdogSec + Restart=on-failure). A process whose thread pool is starved or deadlocked stops pinging
/// by itself: this loop's timer runs on that pool. Pings start once the host has started (after READY=1).
/// <para>
/// Cadence: each round (checks, then the ping) starts PingInterval after the previous round started, or after the
/// previous ping when the round pinged: two pings are never closer than PingInterval, and while healthy never further
/// apart than PingInterval plus one round's checks (each at most CheckTimeout). A free-running timer (PeriodicTimer)
/// would keep its own beat: a round held up past a tick (the process descheduled, a GC pause, a slow check, typically
/// the first round at start-up) finds the tick already due and pings again at once, two or three pings within a few
/// milliseconds (issue 9).
/// </para>
/// </summary>
public sealed class WatchdogService : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    private readonly ISystemdNotifier _notifier;
    private readonly WatchdogSettings _settings;
    private readonly IWatchdogHealthCheck[] _checks;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string? _lastProblem;

    public WatchdogService(ISystemdNotifier notifier, WatchdogSettings settings, IEnumerable<IWatchdogHealthCheck> checks,
        IHostApplicationLifetime lifetime, TimeProvider time, ILogger<WatchdogService> logger)
    {
        _notifier = notifier;
        _settings = settings;
        _checks = [.. checks];
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        WatchdogLog.Enabled(_logger, _settings.Timeout.TotalSeconds, _settings.PingInterval.TotalMilliseconds, string.Join(", ", _checks.Select(c => c.Name)));
        try
        {
            while (true)
            {
                var next = await PingIfHealthyAsync(stoppingToken).ConfigureAwait(false) + _settings.PingInterval;
                var wait = next - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: the checks, then the ping when they pass. Returns the time the next round counts from.</summary>
    private async Task<DateTimeOffset> PingIfHealthyAsync(CancellationToken stoppingToken)
    {
        // The round's start, or the ping's own time when the round pings (taken just before it is sent): the next
        // round is due a full PingInterval after it, however long this round was held up.
        var from = _time.GetUtcNow();
        var problem = await FirstProblemAsync(stoppingToken).ConfigureAwait(false);
        if (problem is null)
        {
            from = _time.GetUtcNow();
            _notifier.Notify(Ping);
            if (_lastProblem is not null)
            {
                WatchdogLog.Healthy(_logger);
                _notifier.Notify(new ServiceState("STATUS=healthy"));
            }
        }
        else if (problem != _lastProblem)
        {
            // No ping: two missed intervals and systemd kills the agent (WatchdogSignal, then Restart=on-failure).
            WatchdogLog.Unhealthy(_logger, problem);
            _notifier.Notify(new ServiceState("STATUS=unhealthy: " + problem));
        }

        _lastProblem = problem;
        return from;
    }

    private async Task<string?> FirstProblemAsync(CancellationToken stoppingToken)
    {
        foreach (var check in _checks)
        {
            // The deadline runs from before the check is called: a check that never returns is a hung loop.
            using var deadline = new CancellationTokenSource(_settings.CheckTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stoppingToken);
            try
            {
                var problem = await check.CheckAsync(linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
                if (problem is not null)
                {
                    return $"{check.Name}: {problem}";
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                return $"{check.Name}: no answer within {_settings.CheckTimeout.TotalMilliseconds:F0} ms";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return $"{check.Name}: {ex.GetType().Name}: {ex.Message}";
            }
        }

        return null;
    }
}
