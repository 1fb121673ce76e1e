using System.Globalization;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// BF-12 upload, after the bytes are read: the one path of the operators' API (PUT /destinations.csv) and the
/// customers' settings site (SS-12). Decode (<see cref="CsvTextEncoding"/>: UTF-8, UTF-16 with a mark, Shift_JIS),
/// parse (<see cref="DestinationCsv"/>), refuse a file without data rows, and the change that replaces the table,
/// refusing one that would remove every destination (clearing is its own explicit action). The stored rules
/// (BF-2, BF-9, BF-14, BF-5) are the store's (<see cref="ContractValidator"/>); <see cref="NameLines"/> names the
/// file's line in their violations.
/// </summary>
public static class DestinationCsvImport
{
    /// <summary>The largest file accepted: 1 MiB holds some 30,000 rows, far more numbers than any contract has.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>
    /// The table in a file, or the violations that refuse it. <paramref name="requested"/> is a canonical encoding
    /// (<see cref="CsvTextEncoding.Canonical"/>) or null to detect; <paramref name="clearHint"/> says how to clear the
    /// table where the caller is (an API request, a button).
    /// </summary>
    public static (DestinationCsvTable? Table, IReadOnlyList<RuleViolation> Violations) Read(ReadOnlySpan<byte> bytes, string? requested, string clearHint)
    {
        var (text, _, decodeProblem) = CsvTextEncoding.Decode(bytes, requested);
        if (decodeProblem is not null)
        {
            return (null, [new RuleViolation("csv", "BF-12", decodeProblem)]);
        }

        var (entries, lines, rows, violations) = DestinationCsv.Parse(text!);
        if (violations.Count > 0)
        {
            return (null, violations);
        }

        return rows == 0
            ? (null, [new RuleViolation("csv", "BF-12", $"the file has no data rows; {clearHint}")])
            : (new DestinationCsvTable(entries, lines), []);
    }

    /// <summary>The change that replaces the destination table with <paramref name="table"/>'s (BF-12).</summary>
    public static Func<ContractDefinition, ContractDefinition> Change(DestinationCsvTable table, string clearHint)
    {
        ArgumentNullException.ThrowIfNull(table);
        return current => table.Entries.Count == 0 && current.Destinations.Count > 0
            ? throw new ContractRuleException(new RuleViolation("csv", "BF-12", $"the file would remove every destination; {clearHint}"))
            : current with { Destinations = [.. table.Entries] };
    }

    /// <summary>The store's violations with the CSV line instead of the destinations[] index ("csv[3].destination").</summary>
    public static IReadOnlyList<RuleViolation> NameLines(IReadOnlyList<RuleViolation> violations, DestinationCsvTable table)
    {
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentNullException.ThrowIfNull(table);
        return [.. violations.Select(v => v with { Field = CsvField(v.Field, table.Lines) })];
    }

    /// <summary>The whole stream, or null as soon as it passes <paramref name="limit"/> bytes (the rest is not read).</summary>
    public static async Task<byte[]?> ReadBoundedAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 << 10];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string CsvField(string field, IReadOnlyList<int> lines)
    {
        const string Prefix = "destinations[";
        if (!field.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return field;
        }

        var close = field.IndexOf(']', StringComparison.Ordinal);
        return close > Prefix.Length
            && int.TryParse(field.AsSpan(Prefix.Length, close - Prefix.Length), CultureInfo.InvariantCulture, out var index)
            && index < lines.Count
                ? $"csv[{lines[index]}]{(field.EndsWith(".number", StringComparison.Ordinal) ? ".source" : ".destination")}"
                : field;
    }
}
