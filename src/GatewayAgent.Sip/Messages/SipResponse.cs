using System.Globalization;
using System.Text;

namespace GatewayAgent.Sip.Messages;

/// <summary>A SIP response: status code, reason phrase, headers and body.</summary>
public sealed class SipResponse : SipMessage
{
    public SipResponse(int statusCode, string? reasonPhrase = null)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase ?? SipStatusCodes.ReasonPhrase(statusCode);
    }

    public int StatusCode { get; set; }

    public string ReasonPhrase { get; set; }

    public bool IsProvisional => StatusCode < 200;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public bool IsFinal => StatusCode >= 200;

    protected override void AppendStartLine(StringBuilder sb) =>
        sb.Append(Version).Append(' ').Append(StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase);
}
