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

    [LoggerMessage(6746, LogLevel.Information, "One-time-password mail queued for {Number} (SS-7)")]
    public static partial void OtpMailQueued(ILogger logger, string number);

    [LoggerMessage(6747, LogLevel.Information, "One-time-password receiving address of {Number} confirmed by its link (SS-7)")]
    public static partial void OtpAddressConfirmed(ILogger logger, string number);

    [LoggerMessage(6748, LogLevel.Warning, "Wrong one-time password for {Number} (counted as a wrong password, SS-6, SS-7)")]
    public static partial void OtpCodeWrong(ILogger logger, string number);

    [LoggerMessage(6749, LogLevel.Warning, "Confirmation ID and password of {Number} invalidated after {Max} consecutive wrong entries (SS-7)")]
    public static partial void OtpConfirmationsInvalidatedCore(ILogger logger, string number, int max);

    public static void OtpConfirmationsInvalidated(ILogger logger, string number) =>
        OtpConfirmationsInvalidatedCore(logger, number, GatewayAgent.Domain.Accounts.OtpRules.MaxWrongConfirmations);

    [LoggerMessage(6750, LogLevel.Information, "Authentication unit of contract {ContractNumber} changed from {From} to {To} by {Actor} (SS-9)")]
    public static partial void UnitChanged(ILogger logger, string contractNumber, string from, string to, string actor);

    [LoggerMessage(6751, LogLevel.Information, "One-time-password settings of {Count} numbers set by CSV by {Actor} (SS-8)")]
    public static partial void OtpBulkApplied(ILogger logger, int count, string actor);
}
