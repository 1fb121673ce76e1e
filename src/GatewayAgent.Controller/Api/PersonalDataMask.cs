using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Forwarding;

namespace GatewayAgent.Controller.Api;

/// <summary>
/// What a <see cref="ApiRole.Read"/> key sees of personal data (issue 12 item 7): enough to run a dashboard, not enough to
/// contact or identify anyone. Mail addresses keep their first character and domain (<c>t***@example.jp</c>); holder
/// names, site information and free-text notes become <c>***</c>; forwarding destinations and nuisance callers (often
/// private mobiles) keep their last four digits. The contract's own numbers, states and histories stay as they are.
/// Operate and admin keys see everything (they edit it).
/// </summary>
public static class PersonalDataMask
{
    public const string Hidden = "***";

    public static bool Applies(HttpContext http) => !ApiCaller.Of(http).Has(ApiRole.Operate);

    public static string Address(string address)
    {
        var at = address.LastIndexOf('@');
        return at <= 0 ? Hidden : $"{address[0]}{Hidden}{address[at..]}";
    }

    public static string Number(string number) =>
        number.Length <= 4 ? Hidden : new string('*', number.Length - 4) + number[^4..];

    public static string? Text(string? text) => text is null ? null : Hidden;

    public static ContractRecord Contract(ContractRecord contract) => contract with
    {
        Destinations = Destinations(contract.Destinations),
        Notification = Notification(contract.Notification),
        Screening = Screening(contract.Screening),
        Forwarding = contract.Forwarding with { HeldNote = Text(contract.Forwarding.HeldNote) },
    };

    public static IReadOnlyList<DestinationEntry> Destinations(IReadOnlyList<DestinationEntry> destinations) =>
        [.. destinations.Select(d => d with { Destination = Number(d.Destination) })];

    public static NotificationSettings Notification(NotificationSettings notification) => notification with
    {
        HolderName = Text(notification.HolderName),
        SiteInformation = Text(notification.SiteInformation),
        Recipients = [.. notification.Recipients.Select(r => r with { Address = Address(r.Address) })],
    };

    public static ScreeningSettings Screening(ScreeningSettings screening) => screening with
    {
        NuisanceCallers = [.. screening.NuisanceCallers.Select(Number)],
    };

    public static NumberEntry NumberEntry(NumberEntry entry) =>
        entry with { Destination = entry.Destination is { } destination ? Number(destination) : null };

    public static ForwardingAuditEntry Audit(ForwardingAuditEntry entry) =>
        entry with { Note = Text(entry.Note), OperatorNote = Text(entry.OperatorNote) };

    /// <summary>
    /// A settings-audit row: the detail names destinations, addresses, holder names, so it is hidden whole; who (a
    /// login number of the contract, or the IVR's calling line), when, on what and the action stay.
    /// </summary>
    public static SettingsAuditEntry SettingsAudit(SettingsAuditEntry entry) => entry with { Detail = Text(entry.Detail) };

    /// <summary>A mail's recipient, also where the relay's reply or the last error quotes it.</summary>
    public static OutboxEntry Mail(OutboxEntry mail)
    {
        var masked = Address(mail.Recipient);
        return mail with
        {
            Recipient = masked,
            LastError = mail.LastError?.Replace(mail.Recipient, masked, StringComparison.OrdinalIgnoreCase),
            ServerReply = mail.ServerReply?.Replace(mail.Recipient, masked, StringComparison.OrdinalIgnoreCase),
        };
    }
}
