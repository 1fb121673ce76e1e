using Microsoft.Extensions.Logging;

namespace GatewayAgent.LocalControl;

/// <summary>The local control socket's log messages with stable event ids (2200–2299).</summary>
internal static partial class LocalControlLog
{
    [LoggerMessage(2200, LogLevel.Information, "local control listening on {Path} (verbs: {Verbs})")]
    public static partial void Listening(ILogger logger, string path, string verbs);

    [LoggerMessage(2201, LogLevel.Warning, "{Default} is not writable: local control socket at {Path} instead (set Agent:LocalControl:Socket to choose)")]
    public static partial void FallbackPath(ILogger logger, string @default, string path);

    [LoggerMessage(2202, LogLevel.Error, "another agent already answers on {Path}: local control is off for this one")]
    public static partial void AlreadyInUse(ILogger logger, string path);

    [LoggerMessage(2203, LogLevel.Error, "cannot listen on {Path}: {Message}: local control is off")]
    public static partial void ListenFailed(ILogger logger, string path, string message);

    [LoggerMessage(2204, LogLevel.Warning, "local control verb {Verb} failed")]
    public static partial void VerbFailed(ILogger logger, string verb, Exception exception);

    [LoggerMessage(2205, LogLevel.Debug, "local control connection ended: {Message}")]
    public static partial void ConnectionEnded(ILogger logger, string message);

    [LoggerMessage(2206, LogLevel.Warning, "local control: not using {Directory} for the socket: {Reason} (someone else may have made it; remove it, or set Agent:LocalControl:Socket)")]
    public static partial void UnsafeDirectory(ILogger logger, string directory, string reason);

    [LoggerMessage(2207, LogLevel.Error, "local control is off: {Default} is not writable and no private fallback directory could be used (set Agent:LocalControl:Socket)")]
    public static partial void NoSafePlace(ILogger logger, string @default);
}
