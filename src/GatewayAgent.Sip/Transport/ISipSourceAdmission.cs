using System.Net;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// Decides, before a datagram or framed message is parsed, whether its source may be heard at all (a per-source
/// rate limit): a flood then costs a table lookup per packet, not a parse.
/// </summary>
public interface ISipSourceAdmission
{
    bool TryAdmit(IPAddress source);

    /// <summary>
    /// <see cref="TryAdmit(IPAddress)"/> with the message's bytes at hand, so a refusal that needs no answer (the
    /// allow-list in Drop mode) can be made without parsing. Default: by the source alone.
    /// </summary>
    bool TryAdmit(IPAddress source, ReadOnlySpan<byte> message) => TryAdmit(source);

    /// <summary>
    /// Whether <paramref name="source"/> is a known prober, whose datagrams go ahead of everyone else's and are shed
    /// last when the agent must shed load (issue 12 item 2). Default: no one.
    /// </summary>
    bool IsPriority(IPAddress source) => false;

    /// <summary>
    /// Whether a TCP connection from <paramref name="source"/> may be accepted at all (the allow-list, applied at accept:
    /// a refused source's connection is closed before anything is read, docs/security.md). Default: every source.
    /// </summary>
    bool AcceptsConnectionFrom(IPAddress source) => true;
}
