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
    /// Whether a TCP connection from <paramref name="source"/> may be accepted at all (the allow-list, applied at accept:
    /// a refused source's connection is closed before anything is read, docs/security.md). Default: every source.
    /// </summary>
    bool AcceptsConnectionFrom(IPAddress source) => true;
}
