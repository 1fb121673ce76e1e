namespace GatewayAgent.Domain.Customers;

/// <summary>A refused entry of a destination table: its index, the rule it breaks (BF-2 or BF-14) and why.</summary>
public sealed record DestinationSourceBreach(int Index, string Rule, string Message);
