using System.Text;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// One row of the site's CSV files (BF-12 destinations, SS-8 one-time passwords), as customers' spreadsheets write
/// them: fields quoted or bare, separated by commas, rows ended by CR+LF (split by the caller). One parser for both.
/// </summary>
public static class CsvRow
{
    /// <summary>A field quoted as the downloads write every field (<c>"</c> doubled inside).</summary>
    public static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>RFC 4180 fields of one row, each quoted (<c>""</c> for a quote) or bare (no quote inside), trimmed.</summary>
    public static bool TryParse(string row, out List<string> fields)
    {
        fields = [];
        var position = 0;
        while (true)
        {
            var value = new StringBuilder();
            while (position < row.Length && row[position] is ' ' or '\t')
            {
                position++;
            }

            if (position < row.Length && row[position] == '"')
            {
                position++;
                while (true)
                {
                    if (position >= row.Length)
                    {
                        return false; // the quote is not closed
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

                while (position < row.Length && row[position] is ' ' or '\t')
                {
                    position++;
                }

                if (position < row.Length && row[position] != ',')
                {
                    return false; // text after the closing quote
                }
            }
            else
            {
                while (position < row.Length && row[position] != ',')
                {
                    if (row[position] == '"')
                    {
                        return false; // a quote inside a bare field
                    }

                    value.Append(row[position++]);
                }
            }

            fields.Add(value.ToString().Trim());
            if (position >= row.Length)
            {
                return true;
            }

            position++; // the comma; a comma at the end of the row leaves an empty last field
        }
    }
}
