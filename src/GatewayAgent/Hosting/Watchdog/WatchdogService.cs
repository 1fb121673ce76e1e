using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Hosting.Watchdog;

/// <summary>
/// Sends WATCHDOG=1 to systemd every <see cref="WatchdogSettings.PingInterval"/>, but only when every
/// <see cref="IWatchdogHealthCheck"/> passes in time. An unhealthy or hung agent stops pinging and systemd kills and
/// restarts it (WatchdogSec + Restart=on-failure). A process whose thread pool is starved or deadlocked stops pinging
/// by itself: this loop's timer runs on that pool. Pings start once the host has started (after READY=1).
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
        using var timer = new PeriodicTimer(_settings.PingInterval, _time);
        try
        {
            do
            {
                await PingIfHealthyAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PingIfHealthyAsync(CancellationToken stoppingToken)
    {
        var problem = await FirstProblemAsync(stoppingToken).ConfigureAwait(false);
        if (problem is null)
        {
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
