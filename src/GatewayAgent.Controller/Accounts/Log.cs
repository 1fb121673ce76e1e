namespace GatewayAgent.Controller.Accounts;

/// <summary>Settings-site account log messages, event ids 6740-6759.</summary>
internal static partial class Log
{
    [LoggerMessage(6740, LogLevel.Information, "Temporary password issued for {Number} ({Unit}) by a call from {CallingNumber} (SS-3)")]
    public static partial void TemporaryPasswordIssued(ILogger logger, string number, string unit, string callingNumber);

    [LoggerMessage(6741, LogLevel.Information, "Temporary password refused for a call from {CallingNumber}: {Reason}")]
    public static partial void TemporaryPasswordRefused(ILogger logger, string callingNumber, string reason);

    [LoggerMessage(6742, LogLevel.Warning, "Password of {Number} invalidated after {Failures} consecutive wrong passwords (SS-6)")]
    public static partial void PasswordInvalidated(ILogger logger, string number, long failures);

    [LoggerMessage(6743, LogLevel.Warning, "Temporary password of {Number} invalidated after {Failures} consecutive wrong entries (SS-6)")]
    public static partial void TemporaryPasswordInvalidated(ILogger logger, string number, long failures);

    [LoggerMessage(6744, LogLevel.Information, "Password of {Target} changed by {Actor} (SS-10)")]
    public static partial void PasswordChanged(ILogger logger, string target, string actor);

    [LoggerMessage(6745, LogLevel.Information, "Login failed for a number ending {Tail}")]
    public static partial void LoginFailed(ILogger logger, string tail);
}
