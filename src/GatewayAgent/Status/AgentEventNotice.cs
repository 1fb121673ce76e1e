using System.Text.Json;

namespace GatewayAgent.Status;

/// <summary>Something happened on the site: raised by the part that saw it, numbered and delivered by telemetry.</summary>
/// <param name="Type">One of <see cref="GatewayAgent.Contracts.EventTypes"/>.</param>
/// <param name="At">When it was seen (for power events: the debounced edge time, not the publish time).</param>
public sealed record AgentEventNotice(string Type, DateTimeOffset At, string? Detail = null, JsonElement? Data = null);
