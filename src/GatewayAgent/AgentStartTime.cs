namespace GatewayAgent;

/// <summary>When Main began (a Stopwatch timestamp), for the "ready N ms after start" log line.</summary>
public sealed record AgentStartTime(long Timestamp);
