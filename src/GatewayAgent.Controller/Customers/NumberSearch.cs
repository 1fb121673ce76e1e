using System.Text.RegularExpressions;
using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// BF-13 number search: a part of a number (e.g. the area code) matches anywhere; with <c>*</c> the pattern must
/// match the whole number, <c>*</c> standing for any run of digits. The pattern is folded like a number
/// (<see cref="PhoneNumber.Fold"/>): hyphens are ignored, full-width digits and "+81" work.
/// </summary>
public static class NumberSearch
{
    public static bool Matches(string number, string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return true;
        }

        var normalized = PhoneNumber.Fold(pattern);
        if (!normalized.Contains('*', StringComparison.Ordinal))
        {
            return number.Contains(normalized, StringComparison.Ordinal);
        }

        var expression = "^" + string.Join("[0-9]*", normalized.Split('*').Select(Regex.Escape)) + "$";
        return Regex.IsMatch(number, expression, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
