using System.Text;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// BF-12 bulk destination table: one row per source number, <c>"source","destination"</c>, rows ended by CR+LF. The
/// download lists every number of the contract with both fields quoted (an empty destination = none), so it uploads
/// back unchanged. An upload may quote its fields or not (Excel writes them bare), may leave out an empty last field
/// (<c>0312345678</c> or <c>0312345678,</c>: no destination) and may carry blank rows (skipped); numbers are folded
/// by the validator (<see cref="GatewayAgent.Domain.Numbers.PhoneNumber"/>), so full-width digits and hyphens read
/// as the same number. The text comes decoded (<see cref="CsvTextEncoding"/>).
/// </summary>
public static class DestinationCsv
{
    public static string Format(ContractRecord contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var destinations = contract.Destinations.ToDictionary(d => d.Number, d => d.Destination, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var number in contract.AdditionalNumbers.Prepend(contract.ContractNumber))
        {
            text.Append(CsvRow.Quote(number)).Append(',').Append(CsvRow.Quote(destinations.GetValueOrDefault(number, ""))).Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The rows with a destination (<c>Entries</c>, each with its 1-based line in <c>Lines</c>), the number of data
    /// rows (with or without a destination: 0 means the file holds no table) and the rows that cannot be read
    /// (violations name the line as "csv[line]").
    /// </summary>
    public static (List<DestinationEntry> Entries, List<int> Lines, int Rows, List<RuleViolation> Violations) Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var entries = new List<DestinationEntry>();
        var lines = new List<int>();
        var violations = new List<RuleViolation>();
        var rowCount = 0;
        var text = csv.StartsWith('\uFEFF') ? csv[1..] : csv;
        var rows = text.Split("\r\n");
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            var line = i + 1;
            if (row.Contains('\n', StringComparison.Ordinal) || row.Contains('\r', StringComparison.Ordinal))
            {
                violations.Add(new RuleViolation($"csv[{line}]", "BF-12", "rows must end with CR+LF"));
                continue;
            }

            if (!CsvRow.TryParse(row, out var fields))
            {
                violations.Add(new RuleViolation(
                    $"csv[{line}]", "BF-12", "expected source number,destination number (quoted or not: \"0312345678\",\"09012345678\")"));
                continue;
            }

            if (fields.All(f => f.Length == 0))
            {
                continue; // a blank row, or one of only commas as spreadsheets write them
            }

            if (fields.Count > 2 && fields.Skip(2).Any(f => f.Length > 0))
            {
                violations.Add(new RuleViolation($"csv[{line}]", "BF-12", "two columns expected: source number, destination number"));
                continue;
            }

            var (source, destination) = (fields[0], fields.Count > 1 ? fields[1] : "");
            if (source.Length == 0)
            {
                violations.Add(new RuleViolation($"csv[{line}].source", "BF-12", "the source number is empty"));
                continue;
            }

            rowCount++;
            if (destination.Length > 0)
            {
                entries.Add(new DestinationEntry(source, destination));
                lines.Add(line);
            }
        }

        return (entries, lines, rowCount, violations);
    }
}
