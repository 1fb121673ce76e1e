using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip;

/// <summary>The stack's log messages with stable event ids (1100–1199: transactions and user agents).</summary>
internal static partial class SipLog
{
    [LoggerMessage(1100, LogLevel.Error, "Handling a message from {Source} failed")]
    public static partial void MessageHandlingFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(1101, LogLevel.Warning, "Transport error in transaction {Key} to {Peer}")]
    public static partial void TransportError(ILogger logger, string key, string peer, Exception exception);

    [LoggerMessage(1110, LogLevel.Debug, "Probe answered: call {CallId} from {Source} to {Number}, setup {SetupMs:F1} ms")]
    public static partial void ProbeAnswered(ILogger logger, string callId, string source, string number, double setupMs);

    [LoggerMessage(1111, LogLevel.Information, "Ending call {CallId} with BYE: {Why}")]
    public static partial void HangingUp(ILogger logger, string callId, string why);

    [LoggerMessage(1112, LogLevel.Warning, "BYE for call {CallId} got {StatusCode}")]
    public static partial void ByeFailed(ILogger logger, string callId, int statusCode, Exception? exception = null);

    [LoggerMessage(1113, LogLevel.Warning, "RTP for call {CallId} failed")]
    public static partial void MediaFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(1120, LogLevel.Warning, "Refused {Method} from {Source}: not in the allowed sources ({Total} refused in all)")]
    public static partial void SourceRefused(ILogger logger, string source, string method, long total);

    [LoggerMessage(1121, LogLevel.Warning, "Rate limit: dropping messages from {Source} ({Total} dropped in all)")]
    public static partial void RateLimited(ILogger logger, string source, long total);

    [LoggerMessage(1130, LogLevel.Information, "sip.registered user={User} domain={Domain} expires_s={ExpiresSeconds:F0}")]
    public static partial void Registered(ILogger logger, string user, string domain, double expiresSeconds);

    [LoggerMessage(1131, LogLevel.Warning, "sip.unregistered user={User} domain={Domain} status={StatusCode} error={Error}")]
    public static partial void RegistrationFailed(ILogger logger, string user, string domain, int statusCode, string error);

    [LoggerMessage(1132, LogLevel.Information, "Registration retry in {Seconds:F1} s")]
    public static partial void RegistrationRetry(ILogger logger, double seconds);

    [LoggerMessage(1133, LogLevel.Debug, "Registration refresh in {Seconds:F1} s")]
    public static partial void RegistrationRefresh(ILogger logger, double seconds);

    [LoggerMessage(1102, LogLevel.Warning, "Overload: {Live} server transactions alive, new requests get 503 ({Total} in all)")]
    public static partial void Overloaded(ILogger logger, int live, long total);
}
