using System.Text.Json;

namespace GatewayAgent.Contracts;

/// <summary>
/// One event on <see cref="Topics.Events"/>. <see cref="Id"/> is unique per event (ingest is idempotent on it);
/// <see cref="Seq"/> increases by one per event of this agent, across restarts (gaps mean loss); events replayed
/// from the agent's disk spool after an outage carry <see cref="Historical"/> = true.
/// </summary>
public sealed record AgentEvent
{
    public required string Id { get; init; }
    public required long Seq { get; init; }
    public required DateTimeOffset Ts { get; init; }
    /// <summary>One of <see cref="EventTypes"/>.</summary>
    public required string Type { get; init; }
    public bool Historical { get; init; }
    /// <summary>Short free text: the button press kind, the probe's caller, the interface name...</summary>
    public string? Detail { get; init; }
    /// <summary>Optional structured data (a battery reading, a probe's setup time).</summary>
    public JsonElement? Data { get; init; }
}
