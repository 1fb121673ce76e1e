namespace GatewayAgent.Controller.Routing;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Edge routing: {Nodes} edge node(s), {Numbers} numbers of {Contracts} contracts")]
    public static partial void Started(ILogger logger, int nodes, int numbers, int contracts);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Edge routing: {Contracts} contract(s) changed, {Keys} key(s) pushed, {Tables} table(s) reloaded")]
    public static partial void Pushed(ILogger logger, int contracts, int keys, int tables);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Edge {Url} is unreachable or refused a change ({Reason}); it reloads the routing table from the database when it answers again")]
    public static partial void Unreachable(ILogger logger, Uri url, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Edge {Url} holds the current routing table (reloaded from the database)")]
    public static partial void InSync(ILogger logger, Uri url);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Edge {Url} restarted; reloading its routing table")]
    public static partial void Restarted(ILogger logger, Uri url);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Edge routing: reading the routing views failed; edge nodes reload when it works again")]
    public static partial void ReadFailed(ILogger logger, Exception exception);
}
