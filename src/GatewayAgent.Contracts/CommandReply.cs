using System.Text.Json;

namespace GatewayAgent.Contracts;

/// <summary>The agent's reply to a command, published to the request's response topic with its correlation data.</summary>
public sealed record CommandReply
{
    public required string Verb { get; init; }
    public required bool Ok { get; init; }
    public string? Message { get; init; }
    public JsonElement? Data { get; init; }
}

/// <summary>Data of a self-test reply: the probe the agent placed to itself through its own SIP leg.</summary>
public sealed record SelfTestResult
{
    public required bool Reached { get; init; }
    public int? FinalStatus { get; init; }
    public int? ProvisionalStatus { get; init; }
    public double? SetupMilliseconds { get; init; }
    public string? Error { get; init; }
}

/// <summary>Controller → agent: ContractState published retained on <see cref="Topics.ContractState"/>.</summary>
public sealed record ContractState
{
    public required long ContractId { get; init; }
    public required string ContractNumber { get; init; }
    /// <summary>"normal" or "failed".</summary>
    public required string Detector { get; init; }
    public required bool Forwarding { get; init; }
    public DateTimeOffset? ForwardingSince { get; init; }
    public string? ForwardingReason { get; init; }
    /// <summary>The operator holds the switch off (BF-11): no start or auto-start turns it on until released.</summary>
    public bool ForwardingHeld { get; init; }
    public required DateTimeOffset Ts { get; init; }
}
