namespace GatewayAgent.Hosting.Watchdog;

/// <summary>
/// One condition the agent must meet for the watchdog to vouch for it. Checks run every ping interval, so they must
/// be cheap; a check that does not finish within <see cref="WatchdogSettings.CheckTimeout"/> counts as failed (a hung
/// loop). Parts of the agent add theirs with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IWatchdogHealthCheck, T&gt;())</c>.
/// </summary>
public interface IWatchdogHealthCheck
{
    /// <summary>Short name for logs and the unit's STATUS line ("sip-listeners").</summary>
    string Name { get; }

    /// <summary>Null when healthy, else why not.</summary>
    ValueTask<string?> CheckAsync(CancellationToken cancellationToken);
}
