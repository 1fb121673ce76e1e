namespace GatewayAgent.Sip.Parsing;

/// <summary>The parser's verdict on a message.</summary>
public enum SipParseStatus
{
    /// <summary>Well-formed; the message can be processed.</summary>
    Valid,

    /// <summary>Framed and readable enough to answer (a request gets <see cref="SipParseResult.ResponseCode"/>), but invalid.</summary>
    Invalid,

    /// <summary>Not a SIP message, or too damaged to answer: drop it and count it.</summary>
    Unparseable,
}
