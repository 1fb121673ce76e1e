namespace GatewayAgent.Contracts;

/// <summary>
/// Retained on <see cref="Topics.State"/>. The birth has Online = true and the agent's details; the Last Will
/// (and a clean shutdown) has Online = false with the same BdSeq, so a consumer can tell which session ended.
/// </summary>
public sealed record AgentState
{
    public required bool Online { get; init; }
    /// <summary>Birth/death sequence: increments on every MQTT session the agent starts (persisted).</summary>
    public required long BdSeq { get; init; }
    public DateTimeOffset Ts { get; init; }
    public string? Version { get; init; }
    /// <summary>SHA-256 (hex, first 16 chars) of the effective configuration, secrets excluded.</summary>
    public string? ConfigHash { get; init; }
    public string? Board { get; init; }
    /// <summary>The monitoring numbers this agent answers.</summary>
    public IReadOnlyList<string>? Numbers { get; init; }
    /// <summary>Why it went offline: "will" (connection lost) or "stopping" (clean shutdown).</summary>
    public string? Reason { get; init; }
}
