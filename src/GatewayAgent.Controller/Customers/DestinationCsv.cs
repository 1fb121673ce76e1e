using System.Text;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// BF-12 bulk destination table: one row per source number, <c>"source","destination"</c>, fields quoted, rows ended
/// by CR+LF. The download lists every number of the contract (an empty destination = none), so it uploads back
/// unchanged; on upload an empty destination removes that number's destination.
/// </summary>
public static class DestinationCsv
{
    public static string Format(ContractRecord contract)
    {
        var destinations = contract.Destinations.ToDictionary(d => d.Number, d => d.Destination, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var number in contract.AdditionalNumbers.Prepend(contract.ContractNumber))
        {
            text.Append(Quote(number)).Append(',').Append(Quote(destinations.GetValueOrDefault(number, ""))).Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary>The rows with a destination, each with its 1-based line; violations name the line as "csv[line]".</summary>
    public static (List<DestinationEntry> Entries, List<int> Lines, List<RuleViolation> Violations) Parse(string csv)
    {
        var entries = new List<DestinationEntry>();
        var lines = new List<int>();
        var violations = new List<RuleViolation>();
        var text = csv.StartsWith('\uFEFF') ? csv[1..] : csv;
        var rows = text.Split("\r\n");
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            var line = i + 1;
            if (row.Length == 0)
            {
                if (i == rows.Length - 1)
                {
                    break;
                }

                violations.Add(new RuleViolation($"csv[{line}]", "BF-12", "empty row"));
                continue;
            }

            if (row.Contains('\n', StringComparison.Ordinal) || row.Contains('\r', StringComparison.Ordinal))
            {
                violations.Add(new RuleViolation($"csv[{line}]", "BF-12", "rows must end with CR+LF"));
                continue;
            }

            if (!TryParseRow(row, out var source, out var destination))
            {
                violations.Add(new RuleViolation($"csv[{line}]", "BF-12", "expected \"source number\",\"destination number\" with both fields quoted"));
                continue;
            }

            if (destination.Length > 0)
            {
                entries.Add(new DestinationEntry(source, destination));
                lines.Add(line);
            }
        }

        return (entries, lines, violations);
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool TryParseRow(string row, out string source, out string destination)
    {
        source = destination = "";
        var fields = new List<string>(2);
        var position = 0;
        while (position < row.Length)
        {
            if (row[position] != '"')
            {
                return false;
            }

            var value = new StringBuilder();
            position++;
            while (true)
            {
                if (position >= row.Length)
                {
                    return false;
                }

                if (row[position] == '"')
                {
                    if (position + 1 < row.Length && row[position + 1] == '"')
                    {
                        value.Append('"');
                        position += 2;
                        continue;
                    }

                    position++;
                    break;
                }

                value.Append(row[position++]);
            }

            fields.Add(value.ToString());
            if (position < row.Length)
            {
                if (row[position] != ',' || position == row.Length - 1)
                {
                    return false;
                }

                position++;
            }
        }

        if (fields.Count != 2)
        {
            return false;
        }

        (source, destination) = (fields[0].Trim(), fields[1].Trim());
        return source.Length > 0;
    }
}
