using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip;

/// <summary>The stack's log messages with stable event ids (1100–1199: transactions and user agents).</summary>
internal static partial class SipLog
{
    [LoggerMessage(1100, LogLevel.Error, "Handling a message from {Source} failed")]
    public static partial void MessageHandlingFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(1101, LogLevel.Warning, "Transport error in transaction {Key} to {Peer}")]
    public static partial void TransportError(ILogger logger, string key, string peer, Exception exception);
}
