using Microsoft.Extensions.Logging;

namespace GatewayAgent;

/// <summary>The agent host's log messages with stable event ids (2000–2999).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(2000, LogLevel.Information, "SIP listening on {EndPoints}; monitoring numbers [{Numbers}], {Channels} channels; ready {ReadyMs:F0} ms after start")]
    public static partial void Listening(ILogger logger, string endPoints, string numbers, int channels, double readyMs);

    [LoggerMessage(2001, LogLevel.Warning, "No monitoring number configured (Agent:Sip:MonitorNumbers): every probe will get 404")]
    public static partial void NoMonitorNumbers(ILogger logger);

    [LoggerMessage(2002, LogLevel.Information, "probe.answered call_id={CallId} source={Source} number={Number} setup_ms={SetupMs:F1}")]
    public static partial void ProbeAnswered(ILogger logger, string callId, string source, string number, double setupMs);

    [LoggerMessage(2003, LogLevel.Information, "SIP stopped: {Answered} probes answered, {Unparseable} unparseable dropped, {Forbidden} refused by source, {RateLimited} rate-limited, {Invalid} invalid answered")]
    public static partial void Stopped(ILogger logger, long answered, long unparseable, long forbidden, long rateLimited, long invalid);
}
