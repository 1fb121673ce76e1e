namespace GatewayAgent.Sip.Sdp;

/// <summary>An SDP attribute line, <c>a=name</c> or <c>a=name:value</c> (RFC 4566 §5.13).</summary>
/// <param name="Name">The attribute name, e.g. <c>rtpmap</c>.</param>
/// <param name="Value">The text after the first colon, or <see langword="null"/> for a property attribute such as <c>sendrecv</c>.</param>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    /// <summary>The attribute as it appears after <c>a=</c>.</summary>
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
