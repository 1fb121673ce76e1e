namespace GatewayAgent.Controller.Customers;

/// <summary>The rows of an uploaded destination CSV that carry a destination, each with its 1-based line in the file (BF-12).</summary>
public sealed record DestinationCsvTable(IReadOnlyList<DestinationEntry> Entries, IReadOnlyList<int> Lines);
