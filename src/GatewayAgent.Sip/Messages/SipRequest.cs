using System.Text;

namespace GatewayAgent.Sip.Messages;

/// <summary>A SIP request: method, Request-URI, headers and body.</summary>
public sealed class SipRequest : SipMessage
{
    public SipRequest(string method, SipUri requestUri)
    {
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>The method token, case-sensitive as RFC 3261 §7.1 requires.</summary>
    public string Method { get; set; }

    public SipUri RequestUri { get; set; }

    protected override void AppendStartLine(StringBuilder sb) =>
        sb.Append(Method).Append(' ').Append(RequestUri).Append(' ').Append(Version);
}
