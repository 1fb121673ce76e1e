namespace GatewayAgent.Controller.Forwarding;

/// <summary>Forwarding log messages, event ids 6100-6149.</summary>
internal static partial class Log
{
    [LoggerMessage(6100, LogLevel.Warning, "Contract {ContractId}: bulk forward {State} ({Reason}, by {Actor})")]
    public static partial void Switched(ILogger logger, long contractId, string state, string reason, string actor);

    [LoggerMessage(6101, LogLevel.Warning, "Contract {ContractId}: publishing its state failed")]
    public static partial void StatePublishFailed(ILogger logger, long contractId, Exception exception);
}
