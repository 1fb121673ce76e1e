using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Parsing;

/// <summary>What the parser made of some bytes: the message (when it could be read), a verdict and, when invalid, why.</summary>
public sealed class SipParseResult
{
    private SipParseResult(SipParseStatus status, SipMessage? message, int responseCode, string? error)
    {
        Status = status;
        Message = message;
        ResponseCode = responseCode;
        Error = error;
    }

    public SipParseStatus Status { get; }

    /// <summary>The message; present when <see cref="Status"/> is Valid or Invalid.</summary>
    public SipMessage? Message { get; }

    /// <summary>For an invalid request: the status code to answer with (400, 505...); 0 otherwise.</summary>
    public int ResponseCode { get; }

    /// <summary>Why the message is invalid or unparseable; used as the reason phrase of the error response.</summary>
    public string? Error { get; }

    public bool IsValid => Status == SipParseStatus.Valid;

    public static SipParseResult Valid(SipMessage message) => new(SipParseStatus.Valid, message, 0, null);

    public static SipParseResult Invalid(SipMessage message, int responseCode, string error) =>
        new(SipParseStatus.Invalid, message, responseCode, error);

    public static SipParseResult Unparseable(string error) => new(SipParseStatus.Unparseable, null, 0, error);

    public override string ToString() => Status == SipParseStatus.Valid ? "valid" : $"{Status}: {Error}";
}
