namespace GatewayAgent.Sip.Sdp;

/// <summary>An SDP <c>t=</c> line: start and stop as NTP seconds, 0 0 for an unbounded session (RFC 4566 §5.9).</summary>
/// <param name="Start">Start time in NTP seconds, or 0.</param>
/// <param name="Stop">Stop time in NTP seconds, or 0.</param>
public sealed record SdpTiming(ulong Start, ulong Stop)
{
    /// <summary>The usual <c>t=0 0</c> of a SIP call.</summary>
    public static SdpTiming Unbounded { get; } = new(0, 0);

    /// <summary>The line value as it appears after <c>t=</c>.</summary>
    public override string ToString() => $"{Start} {Stop}";
}
