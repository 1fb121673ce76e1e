using GatewayAgent.Contracts.Api;

namespace GatewayAgent.Lab;

/// <summary>What the live view shows for one site, refreshed every second from the controller's API.</summary>
public sealed record SiteView(
    int Index,
    string ContractNumber,
    string Agent,
    string Power,
    string Wan,
    string Detector,
    string LastProbe,
    string Forwarding,
    int MailsDelivered,
    int MailsPending,
    string Numbers = "",
    string Owner = "")
{
    /// <summary>The columns whose change is worth a line in plain mode (not the probe's setup time).</summary>
    public string StateKey => $"{Agent}|{Power}|{Wan}|{Detector}|{Forwarding}|{MailsDelivered}";

    public static string Header => $"{"site",-4} {"contract",-11} {"agent",-8} {"power",-8} {"wan",-5} {"detector",-16} {"last probe",-24} {"forwarding",-22} {"mails",-9}";

    /// <summary>With --nodes: the header with the owner node's column first.</summary>
    public static string ClusterHeader => $"{"owner",-20} " + Header;

    /// <summary>With --nodes: the row with the node that owns the site's contract (probes it) first.</summary>
    public string ClusterRow => $"{Clip(Owner, 20),-20} " + Row;

    public string Row => $"{Index,-4} {ContractNumber,-11} {Agent,-8} {Power,-8} {Wan,-5} {Detector,-16} {Clip(LastProbe, 24),-24} {Clip(Forwarding, 22),-22} {MailsDelivered} sent{(MailsPending > 0 ? $", {MailsPending} queued" : "")}";

    /// <summary>The line under the row: the site's numbers, each with its destination (where forwarding sends its calls).</summary>
    public string NumbersLine => $"{"",-4} numbers: {Numbers}";

    /// <summary>
    /// The contract's numbers compactly, contract number first: "0310000001 → 09012340001 · 0330000001 · 0320000001 (monitoring)".
    /// </summary>
    public static string FormatNumbers(ContractRecord contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var destinations = contract.Destinations.ToDictionary(d => d.Number, d => d.Destination, StringComparer.Ordinal);
        return string.Join(" · ", new[] { contract.ContractNumber }.Concat(contract.AdditionalNumbers).Distinct(StringComparer.Ordinal).Select(number =>
            number +
            (destinations.TryGetValue(number, out var destination) ? $" → {destination}" : "") +
            (number == contract.MonitoringNumber ? " (monitoring)" : "")));
    }

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
