namespace GatewayAgent.Contracts.Api;

/// <summary>One number's destination before and after a change (null = none): added, changed or removed (BF-16 dry run).</summary>
public sealed record DestinationChange(string Number, string? Old, string? New);
