using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Forwarding;

/// <summary>
/// Picks up the changes another process writes to the shared database — the settings site (issue 11): destinations,
/// start and stop, notification settings — which that process cannot announce to this one's edge pusher, prober and
/// MQTT state, so calls follow a customer's start and stop (BF-4) and destinations. Every <see cref="Interval"/> it reads each contract's <c>row_version</c> (raised by every change of the
/// definition, the switch and its hold) and, for each one that moved, publishes the contract's state (which tells the
/// edge, <see cref="ContractStateNotifier"/>) and has the prober re-read its targets. A change made in this process is
/// seen again here: publishing and pushing it twice is harmless (both are idempotent).
/// </summary>
public sealed class ContractChangeWatcher(
    ControllerDatabase database,
    Customers.ContractStore contracts,
    ContractStateNotifier notifier,
    TimeProvider time,
    ILogger<ContractChangeWatcher> logger,
    ProbeTargetsChanged? targetsChanged = null) : BackgroundService
{
    /// <summary>How soon a change from the settings site reaches calls (well inside BF's "at once" for a customer's click).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private Dictionary<long, long>? _seen;

    /// <summary>One pass: the contracts whose version moved since the last pass (none on the first, which only reads).</summary>
    public async Task<IReadOnlyList<long>> CheckAsync(CancellationToken cancellationToken)
    {
        var now = await database.ReadAsync(
            async connection =>
            {
                var versions = new Dictionary<long, long>();
                await using var command = connection.CreateCommand(null, "SELECT id, row_version FROM contracts");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    versions[reader.Long(0)] = reader.Long(1);
                }

                return versions;
            },
            cancellationToken).ConfigureAwait(false);
        var seen = _seen;
        _seen = now;
        if (seen is null)
        {
            return [];
        }

        var changed = now.Where(v => !seen.TryGetValue(v.Key, out var was) || was != v.Value).Select(v => v.Key).ToList();
        foreach (var id in changed)
        {
            if (await contracts.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } contract)
            {
                Log.ChangedElsewhere(logger, id, contract.RowVersion);
                await notifier.PublishAsync(contract, cancellationToken).ConfigureAwait(false);
            }
        }

        if (changed.Count > 0)
        {
            targetsChanged?.Notify();
        }

        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.WatchFailed(logger, ex);
            }

            await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }
}
