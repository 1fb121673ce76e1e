using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Domain.Customers;

/// <summary>
/// The invariants that tie a contract's numbers together: FN-2 (the monitoring number is one of the contract's own
/// numbers), BF-2 (a destination belongs to one of them, at most one per number) and BF-14 (the monitoring number has
/// no destination). All numbers are normalised (<see cref="PhoneNumber.Normalize"/>).
/// </summary>
public static class ContractInvariants
{
    /// <summary>FN-2: why <paramref name="monitoringNumber"/> cannot be the contract's monitoring number, or null.</summary>
    public static string? CheckMonitoringNumber(IReadOnlyCollection<string> ownNumbers, string monitoringNumber)
    {
        ArgumentNullException.ThrowIfNull(ownNumbers);
        return ownNumbers.Contains(monitoringNumber, StringComparer.Ordinal)
            ? null
            : "the monitoring number must be the contract number or one of its additional numbers";
    }

    /// <summary>
    /// BF-2 and BF-14 over the source numbers of a destination table, in order: every source is one of the contract's
    /// numbers (BF-2), none appears twice (BF-2), and none is the monitoring number (BF-14). Returns one breach per
    /// refused entry; the entries not named are acceptable sources.
    /// </summary>
    public static IReadOnlyList<DestinationSourceBreach> CheckDestinationSources(
        IReadOnlyList<string?> sources, IReadOnlyCollection<string> ownNumbers, string? monitoringNumber)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(ownNumbers);
        var breaches = new List<DestinationSourceBreach>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            if (source is null || !ownNumbers.Contains(source, StringComparer.Ordinal))
            {
                breaches.Add(new DestinationSourceBreach(i, "BF-2", "a destination is registered for one of this contract's numbers"));
            }
            else if (!seen.Add(source))
            {
                breaches.Add(new DestinationSourceBreach(i, "BF-2", $"{source} already has a destination: at most one per number"));
            }
            else if (source == monitoringNumber)
            {
                breaches.Add(new DestinationSourceBreach(i, "BF-14", "the monitoring number cannot have a destination"));
            }
        }

        return breaches;
    }

    /// <summary>
    /// FN-2/FN-3: the probe goes to the monitoring number, so the user part of the probe target's SIP URI follows it
    /// when it changes ("sip:0311112222@host" with monitoring number 03-3333-4444 becomes "sip:0333334444@host").
    /// A target without a user part, or no monitoring number, is returned unchanged.
    /// </summary>
    public static string? RetargetProbe(string? probeTarget, string? monitoringNumber)
    {
        if (probeTarget is null || PhoneNumber.Normalize(monitoringNumber) is not { } monitoring)
        {
            return probeTarget;
        }

        var scheme = probeTarget.IndexOf(':', StringComparison.Ordinal);
        var at = probeTarget.IndexOf('@', StringComparison.Ordinal);
        return scheme < 0 || at < scheme
            ? probeTarget
            : string.Concat(probeTarget.AsSpan(0, scheme + 1), monitoring, probeTarget.AsSpan(at));
    }
}
