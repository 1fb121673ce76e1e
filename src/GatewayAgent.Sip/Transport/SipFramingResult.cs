namespace GatewayAgent.Sip.Transport;

/// <summary>What one <see cref="SipStreamFramer.Append"/> call saw besides whole messages.</summary>
/// <param name="PingCount">
/// Double-CRLF keep-alive pings read between messages; answer each with a single CRLF pong (RFC 5626 §4.4.1).
/// </param>
/// <param name="Error">Why the stream cannot be framed any further; the connection must be closed. Null when fine.</param>
public readonly record struct SipFramingResult(int PingCount, string? Error)
{
    public bool IsError => Error is not null;
}
