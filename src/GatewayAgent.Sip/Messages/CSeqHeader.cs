using GatewayAgent.Sip.Parsing;

namespace GatewayAgent.Sip.Messages;

/// <summary>CSeq: a sequence number below 2^31 and a method (RFC 3261 §8.1.1.5, §20.16).</summary>
public readonly record struct CSeqHeader(long Number, string Method)
{
    public const long MaxNumber = int.MaxValue;

    public static bool TryParse(string value, out CSeqHeader cseq) => TryParse(value.AsSpan(), out cseq);

    /// <summary>Parses a CSeq value from a slice; a method the stack knows is its constant (no string made).</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out CSeqHeader cseq)
    {
        cseq = default;
        var s = value.Trim();
        var space = s.IndexOfAny(' ', '\t');
        if (space <= 0 || space > 10)
        {
            return false;
        }

        if (!long.TryParse(s[..space], System.Globalization.NumberStyles.None, null, out var n) || n > MaxNumber)
        {
            return false;
        }

        var method = s[space..].Trim();
        if (!SipSyntax.IsToken(method))
        {
            return false;
        }

        cseq = new CSeqHeader(n, MethodOf(method));
        return true;
    }

    private static string MethodOf(ReadOnlySpan<char> method) => method switch
    {
        SipMethods.Invite => SipMethods.Invite,
        SipMethods.Ack => SipMethods.Ack,
        SipMethods.Bye => SipMethods.Bye,
        SipMethods.Cancel => SipMethods.Cancel,
        SipMethods.Options => SipMethods.Options,
        SipMethods.Register => SipMethods.Register,
        SipMethods.Info => SipMethods.Info,
        _ => method.ToString(),
    };

    public override string ToString() => $"{Number} {Method}";
}
