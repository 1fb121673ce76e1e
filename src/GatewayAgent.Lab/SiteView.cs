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
    int MailsPending)
{
    /// <summary>The columns whose change is worth a line in plain mode (not the probe's setup time).</summary>
    public string StateKey => $"{Agent}|{Power}|{Wan}|{Detector}|{Forwarding}|{MailsDelivered}";

    public static string Header => $"{"site",-4} {"contract",-11} {"agent",-8} {"power",-8} {"wan",-5} {"detector",-16} {"last probe",-24} {"forwarding",-22} {"mails",-9}";

    public string Row => $"{Index,-4} {ContractNumber,-11} {Agent,-8} {Power,-8} {Wan,-5} {Detector,-16} {Clip(LastProbe, 24),-24} {Clip(Forwarding, 22),-22} {MailsDelivered} sent{(MailsPending > 0 ? $", {MailsPending} queued" : "")}";

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
