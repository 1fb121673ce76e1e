using System.Globalization;

namespace GatewayAgent.Controller.Forwarding;

/// <summary>
/// A start refused because the operator holds the switch off (BF-11); the API answers 409 with the hold's time,
/// operator and note, so the caller sees why and who to ask.
/// </summary>
public sealed class ForwardingHeldException : Exception
{
    public ForwardingHeldException(long contractId, DateTimeOffset? heldSince, string? heldBy, string? note)
        : base(Describe(heldSince, note))
    {
        ContractId = contractId;
        HeldSince = heldSince;
        HeldBy = heldBy;
        Note = note;
    }

    public ForwardingHeldException()
        : this(0, null, null, null)
    {
    }

    public ForwardingHeldException(string message)
        : base(message)
    {
    }

    public ForwardingHeldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long ContractId { get; }

    public DateTimeOffset? HeldSince { get; }

    public string? HeldBy { get; }

    public string? Note { get; }

    private static string Describe(DateTimeOffset? since, string? note) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"bulk forward is held by the operator since {since?.ToString("u", CultureInfo.InvariantCulture) ?? "an unknown time"}: {note ?? "(no note)"} (BF-11); the operator must release the hold before it can start");
}
