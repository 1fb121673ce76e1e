using System.Text.RegularExpressions;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// Reads the level of the agent's console log lines (simple formatter, one line each, after an optional timestamp:
/// "2026-01-01T00:00:00.000Z fail: Category[1004] ...").
/// </summary>
internal static partial class AgentLogLines
{
    /// <summary>The lines logged at Error or Critical: a handler that threw, a fault the agent caught.</summary>
    public static IReadOnlyList<string> Errors(IEnumerable<string> lines) => [.. lines.Where(l => Level().Match(l) is { Success: true } m && m.Groups[1].Value is "fail" or "crit")];

    /// <summary>The lines logged at Warning.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<string> lines) => [.. lines.Where(l => Level().Match(l) is { Success: true } m && m.Groups[1].Value == "warn")];

    [GeneratedRegex(@"^(?:\S+ )?(trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex Level();
}
