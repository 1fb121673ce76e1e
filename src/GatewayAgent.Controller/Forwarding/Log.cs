namespace GatewayAgent.Controller.Forwarding;

/// <summary>Forwarding log messages, event ids 6100-6149.</summary>
internal static partial class Log
{
    [LoggerMessage(6100, LogLevel.Warning, "Contract {ContractId}: bulk forward {State} ({Reason}, by {Actor})")]
    public static partial void Switched(ILogger logger, long contractId, string state, string reason, string actor);

    [LoggerMessage(6101, LogLevel.Warning, "Contract {ContractId}: publishing its state failed")]
    public static partial void StatePublishFailed(ILogger logger, long contractId, Exception exception);

    [LoggerMessage(6102, LogLevel.Warning, "Contract {ContractId}: bulk forward held by the operator ({Actor})")]
    public static partial void Held(ILogger logger, long contractId, string actor);

    [LoggerMessage(6103, LogLevel.Warning, "Contract {ContractId}: the operator's hold on bulk forward released ({Actor})")]
    public static partial void Released(ILogger logger, long contractId, string actor);

    [LoggerMessage(6104, LogLevel.Warning, "Contract {ContractId}: {Reason} by {Actor} not applied: bulk forward is held by the operator (BF-11)")]
    public static partial void StartSuppressed(ILogger logger, long contractId, string reason, string actor);

    [LoggerMessage(6105, LogLevel.Information, "Contract {ContractId}: changed by another process on the database (version {Version}); state published, edge and prober told")]
    public static partial void ChangedElsewhere(ILogger logger, long contractId, long version);

    [LoggerMessage(6106, LogLevel.Warning, "Reading the contracts' versions failed; trying again")]
    public static partial void WatchFailed(ILogger logger, Exception exception);
}
