namespace GatewayAgent.Sip.Messages;

/// <summary>One header field line: a canonical name and its raw (unfolded, trimmed) value.</summary>
public readonly record struct SipHeader(string Name, string Value)
{
    public override string ToString() => $"{Name}: {Value}";
}
