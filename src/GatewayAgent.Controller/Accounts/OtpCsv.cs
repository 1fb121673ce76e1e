using System.Text;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// SS-8: the one-time-password bulk CSV, <c>"電話番号","ワンタイムパスワード利用設定","ワンタイムパスワード受信用メールアドレス","確認用ID","確認用パスワード"</c>,
/// usage <c>0</c> = not used, <c>1</c> = used, rows ended by CR+LF; read and written with the destination CSV's row
/// parser (<see cref="CsvRow"/>) and encodings (<see cref="CsvTextEncoding"/>: UTF-8, UTF-8 with a mark, Shift_JIS).
/// The download lists every number with its current values, the confirmation password left empty (it is stored only
/// as a hash); an empty confirmation password on upload keeps the current one, so a download uploads back unchanged.
/// A first row naming the columns (as the guide shows them) is accepted and skipped.
/// </summary>
public static class OtpCsv
{
    public static readonly IReadOnlyList<string> Columns =
        ["電話番号", "ワンタイムパスワード利用設定", "ワンタイムパスワード受信用メールアドレス", "確認用ID", "確認用パスワード"];

    public static string Format(IEnumerable<OtpState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var text = new StringBuilder();
        foreach (var state in states)
        {
            var usage = state.Usage == OtpUsage.Used ? "1" : "0";
            string[] fields = [state.Number, usage, state.Address ?? state.PendingAddress ?? "", state.ConfirmationId ?? "", ""];
            text.AppendJoin(',', fields.Select(CsvRow.Quote)).Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary>The data rows, and the rows that cannot be read (field <c>csv[line]</c>, Japanese message).</summary>
    public static (List<OtpCsvRow> Rows, List<OtpFieldError> Errors) Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var rows = new List<OtpCsvRow>();
        var errors = new List<OtpFieldError>();
        var text = csv.StartsWith('\uFEFF') ? csv[1..] : csv;
        var lines = text.Split("\r\n");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = i + 1;
            var field = $"csv[{line}]";
            if (lines[i].Contains('\n', StringComparison.Ordinal) || lines[i].Contains('\r', StringComparison.Ordinal))
            {
                errors.Add(new OtpFieldError(field, "行の区切り（改行コード）はCR+LFにしてください。"));
                continue;
            }

            if (!CsvRow.TryParse(lines[i], out var fields))
            {
                errors.Add(new OtpFieldError(field, "CSVの形式が正しくありません（\"電話番号\",\"利用設定\",\"メールアドレス\",\"確認用ID\",\"確認用パスワード\"）。"));
                continue;
            }

            if (fields.All(f => f.Length == 0) || (rows.Count == 0 && fields[0] == Columns[0]))
            {
                continue; // a blank row, or the row naming the columns
            }

            if (fields.Count > Columns.Count && fields.Skip(Columns.Count).Any(f => f.Length > 0))
            {
                errors.Add(new OtpFieldError(field, $"項目は{Columns.Count}つです（電話番号、利用設定、メールアドレス、確認用ID、確認用パスワード）。"));
                continue;
            }

            string At(int index) => index < fields.Count ? fields[index] : "";
            rows.Add(new OtpCsvRow(line, At(0), At(1), At(2), At(3), At(4)));
        }

        return (rows, errors);
    }
}
