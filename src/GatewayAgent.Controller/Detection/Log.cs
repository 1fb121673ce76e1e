namespace GatewayAgent.Controller.Detection;

/// <summary>Detection log messages, event ids 6050-6099.</summary>
internal static partial class Log
{
    [LoggerMessage(6050, LogLevel.Warning, "Contract {ContractId}: failure detected ({Cause}); {Mails} mails queued")]
    public static partial void FailureDetected(ILogger logger, long contractId, string cause, int mails);

    [LoggerMessage(6051, LogLevel.Information, "Contract {ContractId}: recovery detected; {Mails} mails queued")]
    public static partial void RecoveryDetected(ILogger logger, long contractId, int mails);

    [LoggerMessage(6052, LogLevel.Warning, "Contract {ContractId}: auto-start is on but no destination is registered (BF-4): bulk forward not started")]
    public static partial void AutoStartWithoutDestinations(ILogger logger, long contractId);

    [LoggerMessage(6053, LogLevel.Debug, "Probe outcome for unknown contract {ContractId} ignored")]
    public static partial void UnknownContract(ILogger logger, long contractId);
}
