namespace GatewayAgent.Contracts.Api;

/// <summary>The forward target of one of the contract's numbers (BF-2: at most one per number).</summary>
public sealed record DestinationEntry(string Number, string Destination);
