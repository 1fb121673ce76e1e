namespace GatewayAgent.Controller.Probing;

/// <summary>The prober's log messages with stable event ids (6300–6399).</summary>
internal static partial class ProbingLog
{
    [LoggerMessage(6300, LogLevel.Information, "Prober SIP listening on {EndPoints}")]
    public static partial void Listening(ILogger logger, string endPoints);

    [LoggerMessage(6301, LogLevel.Information, "Probing started: interval {Interval}, fast interval {FastInterval}, timeout {Timeout}, max {MaxConcurrent} at once, round {Round}, canary {Canary} (calls at least {CanarySpacing} apart)")]
    public static partial void Started(ILogger logger, TimeSpan interval, TimeSpan fastInterval, TimeSpan timeout, int maxConcurrent, TimeSpan round, string canary, TimeSpan canarySpacing);

    [LoggerMessage(6302, LogLevel.Information, "Probe targets refreshed: {Count} contracts ({Added} added, {Removed} removed)")]
    public static partial void TargetsChanged(ILogger logger, int count, int added, int removed);

    [LoggerMessage(6303, LogLevel.Warning, "Could not read the probe targets; probing the previous list")]
    public static partial void TargetsFailed(ILogger logger, Exception error);

    [LoggerMessage(6304, LogLevel.Warning, "probe.canary_missed round={Round} check={Check} detail={Detail}: the misses waiting on this canary call (and this round's, for a round check) are recorded as prober-degraded")]
    public static partial void CanaryMissed(ILogger logger, long round, string check, string detail);

    [LoggerMessage(6305, LogLevel.Information, "probe.canary_recovered round={Round}")]
    public static partial void CanaryRecovered(ILogger logger, long round);

    [LoggerMessage(6306, LogLevel.Information, "probe.fast contract={ContractId} cause={Cause}: probing now and every {FastInterval} until the failure is declared or the site answers FailureThreshold fast probes in a row")]
    public static partial void FastStarted(ILogger logger, long contractId, string cause, TimeSpan fastInterval);

    [LoggerMessage(6307, LogLevel.Information, "probe.fast_settled contract={ContractId} after {Probes} fast probes ({Reason}): back to the normal phase")]
    public static partial void FastSettled(ILogger logger, long contractId, int probes, string reason);

    [LoggerMessage(6308, LogLevel.Warning, "probe.fast contract={ContractId} cause={Cause}: no such contract among the probe targets; ignored")]
    public static partial void FastUnknownContract(ILogger logger, long contractId, string cause);

    [LoggerMessage(6309, LogLevel.Debug, "probe contract={ContractId} outcome={Outcome} status={Status} detail={Detail} setup_ms={SetupMs}")]
    public static partial void ProbeRecorded(ILogger logger, long contractId, ProbeOutcome outcome, int? status, string detail, double? setupMs);

    [LoggerMessage(6310, LogLevel.Error, "Recording the probe of contract {ContractId} failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void RecordFailed(ILogger logger, long contractId, int attempt, TimeSpan delay, Exception error);

    [LoggerMessage(6311, LogLevel.Error, "The dialer failed for contract {ContractId}; counted as a transport error")]
    public static partial void DialerFailed(ILogger logger, long contractId, Exception error);

    [LoggerMessage(6312, LogLevel.Error, "Probe scheduler loop failed; continuing")]
    public static partial void LoopFailed(ILogger logger, Exception error);
}
