namespace GatewayAgent.Sip.UserAgents;

/// <summary>Counters of the probe answerer (read with <see cref="ProbeAnswerer.GetStatistics"/>).</summary>
public sealed record ProbeAnswererStatistics(
    int ActiveCalls,
    long ProbesAnswered,
    long CallsEndedByBye,
    long CallsEndedByUs,
    long Cancelled,
    long RejectedBusy,
    long RejectedNotFound,
    long RejectedOther);
