namespace GatewayAgent.Contracts.Api;

/// <summary>One number of a contract as the number list shows it (BF-13, BF-15).</summary>
public sealed record NumberEntry(string Number, bool IsContractNumber, bool IsMonitoringNumber, string? Destination);
