using GatewayAgent.Domain.Customers;
using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// The partial changes the API offers, as pure functions of the current definition. <see cref="ContractStore"/> applies
/// them in its read-modify-write transaction and validates the result (<see cref="ContractValidator"/>).
/// </summary>
internal static class ContractChanges
{
    /// <summary>New numbers: the probe target follows the monitoring number (FN-2); dropped numbers lose their destination (BF-2).</summary>
    public static ContractDefinition SetNumbers(ContractDefinition current, IReadOnlyList<string>? additionalNumbers, string? monitoringNumber, int? channels)
    {
        var additional = additionalNumbers ?? current.AdditionalNumbers;
        var monitoring = monitoringNumber ?? current.MonitoringNumber;
        var own = additional.Select(Normalized).Append(Normalized(current.ContractNumber ?? "")).ToHashSet(StringComparer.Ordinal);
        return current with
        {
            AdditionalNumbers = additional,
            MonitoringNumber = monitoring,
            ProbeTarget = ContractInvariants.RetargetProbe(current.ProbeTarget, monitoring),
            Channels = channels ?? current.Channels,
            Destinations = current.Destinations.Where(d => own.Contains(Normalized(d.Number))).ToList(),
        };
    }

    /// <summary>One number's destination set or replaced (BF-2: at most one per number).</summary>
    public static ContractDefinition SetDestination(ContractDefinition current, string number, string? destination)
    {
        var others = RemoveDestination(current, number);
        return others with { Destinations = [.. others.Destinations, new DestinationEntry(Normalized(number), destination ?? "")] };
    }

    /// <summary>One number's destination removed.</summary>
    public static ContractDefinition RemoveDestination(ContractDefinition current, string number)
    {
        var source = Normalized(number);
        return current with { Destinations = current.Destinations.Where(d => Normalized(d.Number) != source).ToList() };
    }

    /// <summary>The normalised number, or the text as given when it is none (the validator then names it).</summary>
    private static string Normalized(string number) => PhoneNumber.Normalize(number) ?? number.Trim();
}
