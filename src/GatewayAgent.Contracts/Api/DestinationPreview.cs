namespace GatewayAgent.Contracts.Api;

/// <summary>
/// BF-16: what a destination upload would change, nothing applied (<c>?dryRun=true</c>). Numbers and destinations are
/// normalised as they would be stored; <see cref="Destinations"/> is the whole table after the change.
/// </summary>
public sealed record DestinationPreview
{
    public required IReadOnlyList<DestinationChange> Added { get; init; }
    public required IReadOnlyList<DestinationChange> Changed { get; init; }
    public required IReadOnlyList<DestinationChange> Removed { get; init; }
    public required int Unchanged { get; init; }
    public required IReadOnlyList<DestinationEntry> Destinations { get; init; }

    /// <summary>The difference between two destination tables (each at most one entry per number, BF-2).</summary>
    public static DestinationPreview Between(IReadOnlyList<DestinationEntry> before, IReadOnlyList<DestinationEntry> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = before.ToDictionary(d => d.Number, d => d.Destination, StringComparer.Ordinal);
        var next = after.ToDictionary(d => d.Number, d => d.Destination, StringComparer.Ordinal);
        return new DestinationPreview
        {
            Added = after.Where(d => !old.ContainsKey(d.Number)).Select(d => new DestinationChange(d.Number, null, d.Destination)).ToList(),
            Changed = after.Where(d => old.TryGetValue(d.Number, out var was) && was != d.Destination)
                .Select(d => new DestinationChange(d.Number, old[d.Number], d.Destination)).ToList(),
            Removed = before.Where(d => !next.ContainsKey(d.Number)).Select(d => new DestinationChange(d.Number, d.Destination, null)).ToList(),
            Unchanged = after.Count(d => old.TryGetValue(d.Number, out var was) && was == d.Destination),
            Destinations = after,
        };
    }
}
