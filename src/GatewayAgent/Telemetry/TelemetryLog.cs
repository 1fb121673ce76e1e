using Microsoft.Extensions.Logging;

namespace GatewayAgent.Telemetry;

/// <summary>Telemetry log messages with stable event ids (2300–2499).</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(2300, LogLevel.Information, "telemetry is off (no Agent:Mqtt:Host)")]
    public static partial void Off(ILogger logger);

    [LoggerMessage(2301, LogLevel.Information, "MQTT connected to {Broker} as site {SiteId}: bdSeq {BdSeq}, session present {SessionPresent}, {Pending} events spooled")]
    public static partial void Connected(ILogger logger, string broker, string siteId, long bdSeq, bool sessionPresent, int pending);

    [LoggerMessage(2302, LogLevel.Warning, "MQTT connection to {Broker} failed: {Reason}; retrying in {DelayMs:F0} ms")]
    public static partial void ConnectFailed(ILogger logger, string broker, string reason, double delayMs);

    [LoggerMessage(2303, LogLevel.Warning, "MQTT connection lost: {Reason}; {Pending} events spooled")]
    public static partial void ConnectionLost(ILogger logger, string reason, int pending);

    [LoggerMessage(2304, LogLevel.Error, "broker refused publish to {Topic}: {ReasonCode} {ReasonString}")]
    public static partial void PublishRefused(ILogger logger, string topic, string reasonCode, string? reasonString);

    [LoggerMessage(2305, LogLevel.Information, "event {Type} seq {Seq} published{Historical}")]
    public static partial void EventPublished(ILogger logger, string type, long seq, string historical);

    [LoggerMessage(2306, LogLevel.Information, "birth published: bdSeq {BdSeq}, version {Version}, config {ConfigHash}")]
    public static partial void BirthPublished(ILogger logger, long bdSeq, string version, string configHash);

    [LoggerMessage(2307, LogLevel.Information, "telemetry stopped cleanly: offline state published (bdSeq {BdSeq})")]
    public static partial void Stopped(ILogger logger, long bdSeq);

    [LoggerMessage(2308, LogLevel.Information, "command {Verb} received (reply to {ResponseTopic})")]
    public static partial void CommandReceived(ILogger logger, string verb, string responseTopic);

    [LoggerMessage(2309, LogLevel.Information, "command {Verb} done: ok={Ok} {Message}")]
    public static partial void CommandDone(ILogger logger, string verb, bool ok, string? message);

    [LoggerMessage(2310, LogLevel.Error, "command {Verb} failed")]
    public static partial void CommandFailed(ILogger logger, string verb, Exception exception);

    [LoggerMessage(2311, LogLevel.Information, "replayed {Count} spooled events in {ElapsedMs:F0} ms ({Rate:F0} events/s)")]
    public static partial void Replayed(ILogger logger, int count, double elapsedMs, double rate);

    [LoggerMessage(2312, LogLevel.Information, "configuration reloaded: telemetry interval {Interval}")]
    public static partial void Reloaded(ILogger logger, TimeSpan interval);

    [LoggerMessage(2313, LogLevel.Warning, "could not stop cleanly: {Reason}")]
    public static partial void StopIncomplete(ILogger logger, string reason);

    [LoggerMessage(2314, LogLevel.Warning, "event {Type} seq {Seq} reached no subscriber (PUBACK NoMatchingSubscribers: the controller is not subscribed); events stay spooled, sent again in {DelayMs:F0} ms")]
    public static partial void EventsUnrouted(ILogger logger, string type, long seq, double delayMs);

    [LoggerMessage(2315, LogLevel.Information, "events reach a subscriber again after {Attempts} retries")]
    public static partial void EventsRoutedAgain(ILogger logger, int attempts);

    [LoggerMessage(2320, LogLevel.Information, "spool at {Directory}: {Pending} undelivered events, next seq {NextSeq}")]
    public static partial void SpoolOpened(ILogger logger, string directory, int pending, long nextSeq);

    [LoggerMessage(2321, LogLevel.Warning, "spool directory {Directory} is not writable ({Reason}); using {Fallback}")]
    public static partial void SpoolFallback(ILogger logger, string directory, string reason, string fallback);

    [LoggerMessage(2322, LogLevel.Warning, "spool bound ({Bound}) dropped {Count} undelivered events, seq {FirstSeq}..{LastSeq}; {Total} dropped since start")]
    public static partial void SpoolDropped(ILogger logger, string bound, int count, long firstSeq, long lastSeq, long total);

    [LoggerMessage(2323, LogLevel.Warning, "spool segment {File} ends in a torn record after {Count} events (cut mid-write); the rest is skipped")]
    public static partial void SpoolTorn(ILogger logger, string file, int count);

    [LoggerMessage(2324, LogLevel.Error, "spool write failed; event {Type} is kept in memory only")]
    public static partial void SpoolWriteFailed(ILogger logger, string type, Exception exception);

    [LoggerMessage(2325, LogLevel.Warning, "spool cursor {File} unreadable ({Reason}); every spooled event will be sent again")]
    public static partial void CursorUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(2340, LogLevel.Warning, "saving bdSeq {BdSeq} to birth.json failed ({Reason}); kept in memory, the session goes on, the save is retried")]
    public static partial void BirthSequenceUnsaved(ILogger logger, long bdSeq, string reason);

    [LoggerMessage(2341, LogLevel.Information, "bdSeq {BdSeq} saved to birth.json after an earlier failure")]
    public static partial void BirthSequenceSaved(ILogger logger, long bdSeq);
}
