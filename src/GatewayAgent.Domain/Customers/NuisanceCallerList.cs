using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Domain.Customers;

/// <summary>
/// BF-10 nuisance-call rejection: the caller numbers a contract refuses. Each is a subscriber number in any notation
/// <see cref="PhoneNumber"/> knows, stored normalised ("03-1234-5678" and "+81 3 1234 5678" are the one entry
/// "0312345678"), each once; at most <see cref="MaxCallers"/>; never the probe's own caller number, or the contract
/// would refuse its own probe calls and be declared failed (FN-12).
/// </summary>
public static class NuisanceCallerList
{
    /// <summary>The most entries one contract's list takes (the edge holds every list in memory).</summary>
    public const int MaxCallers = 1000;

    /// <summary>
    /// Checks and normalises <paramref name="callers"/> in order: a number given twice (in any notation) is kept once,
    /// in its first place. <paramref name="probeCaller"/> is the caller number the controller's probes present, when it
    /// is a phone number (anything else, e.g. "probe", cannot be listed anyway).
    /// </summary>
    public static NuisanceCallerCheck Check(IReadOnlyList<string?> callers, string? probeCaller)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (callers.Count > MaxCallers)
        {
            // Refused before any entry is looked at: the work stays bounded whatever the request holds.
            return new NuisanceCallerCheck([], [new NuisanceCallerBreach(null, "range", $"at most {MaxCallers} nuisance callers")]);
        }

        var probe = PhoneNumber.Normalize(probeCaller);
        var listed = new List<string>(callers.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var breaches = new List<NuisanceCallerBreach>();
        for (var i = 0; i < callers.Count; i++)
        {
            var number = PhoneNumber.Normalize(callers[i]);
            if (!PhoneNumber.IsSubscriberNumber(number))
            {
                breaches.Add(new NuisanceCallerBreach(i, "format", "10 or 11 digits starting with 0 (hyphens allowed)"));
            }
            else if (number == probe)
            {
                breaches.Add(new NuisanceCallerBreach(i, "FN-12", $"{number} is the probe calls' caller number: listing it would refuse the probes"));
            }
            else if (seen.Add(number))
            {
                listed.Add(number);
            }
        }

        return new NuisanceCallerCheck(listed, breaches);
    }
}
