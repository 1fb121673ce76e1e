namespace GatewayAgent.Sip.Dtmf;

/// <summary>The DTMF keys and their RFC 4733 §3.2 event codes: 0–9 → 0–9, <c>*</c> → 10, <c>#</c> → 11, A–D → 12–15.</summary>
public static class DtmfKeys
{
    private const string Keys = "0123456789*#ABCD";

    /// <summary>The key of an event code, or null when the code is not a DTMF key.</summary>
    public static char? FromEvent(int code) => code is >= 0 and < 16 ? Keys[code] : null;

    /// <summary>The event code of a key (case-insensitive for A–D), or null when it is not a DTMF key.</summary>
    public static int? ToEvent(char key)
    {
        var index = Keys.IndexOf(char.ToUpperInvariant(key), StringComparison.Ordinal);
        return index < 0 ? null : index;
    }
}
