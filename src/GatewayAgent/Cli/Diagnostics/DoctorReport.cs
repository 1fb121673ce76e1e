using System.Text;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>The doctor's table: one row per result, outcome in capitals so a failure stands out on a small screen.</summary>
public static class DoctorReport
{
    public static string Format(IReadOnlyList<DoctorCheckResult> results)
    {
        var width = Math.Max("CHECK".Length, results.Count == 0 ? 0 : results.Max(r => r.Check.Length));
        var text = new StringBuilder();
        text.Append("CHECK".PadRight(width)).Append("  RESULT  DETAIL\n");
        foreach (var result in results)
        {
            text.Append(result.Check.PadRight(width)).Append("  ")
                .Append(result.Outcome.ToString().ToUpperInvariant().PadRight(6)).Append("  ")
                .Append(result.Detail).Append('\n');
        }

        var failed = results.Count(r => r.Outcome == DoctorOutcome.Fail);
        var warned = results.Count(r => r.Outcome == DoctorOutcome.Warn);
        text.Append(failed == 0 ? "doctor: all checks passed" : $"doctor: {failed} failed")
            .Append(warned == 0 ? "" : $", {warned} warning{(warned == 1 ? "" : "s")}").Append('\n');
        return text.ToString();
    }
}
