namespace GatewayAgent.LocalControl;

/// <summary>One request line on the control socket: {"verb":"sim-set","args":["power-good=0","wan=1"]}.</summary>
public sealed record LocalControlRequest
{
    public required string Verb { get; init; }
    /// <summary>Arguments in the order given ("name=value" for sim-set, applied in order).</summary>
    public List<string>? Args { get; init; }
}
