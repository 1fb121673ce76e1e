namespace GatewayAgent.Tests.Conformance;

/// <summary>A row of protos-c07-sip-groups.tsv: the element the cases First … First + Count − 1 mutate.</summary>
internal sealed record ProtosGroup(string Name, int First, int Count)
{
    public IEnumerable<int> Cases => Enumerable.Range(First, Count);

    public static IReadOnlyList<ProtosGroup> ReadAll(string path) =>
        [.. File.ReadLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(f => new ProtosGroup(f[0], int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)))];
}
