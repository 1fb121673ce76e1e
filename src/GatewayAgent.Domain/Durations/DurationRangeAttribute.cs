using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace GatewayAgent.Domain.Durations;

/// <summary>
/// A <see cref="TimeSpan"/> setting must lie between two durations (inclusive), written as TimeSpan strings
/// ("00:00:00.010", "1.00:00:00"). It reports what <c>[Range(typeof(TimeSpan), min, max)]</c> reports ("The field X must
/// be between 00:00:00.0100000 and 00:00:10."), but parses its limits with <see cref="TimeSpan.Parse(string,
/// IFormatProvider)"/> instead of a type converter found by reflection, so it holds in a trimmed or Native AOT build
/// (the options validation source generator re-creates it as written; bench/RESULTS.md §23).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class DurationRangeAttribute : ValidationAttribute
{
    public DurationRangeAttribute(string minimum, string maximum)
        : base("The field {0} must be between {1} and {2}.")
    {
        Minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
        Maximum = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
        if (Minimum > Maximum)
        {
            throw new ArgumentException($"The minimum {minimum} exceeds the maximum {maximum}.", nameof(minimum));
        }
    }

    public TimeSpan Minimum { get; }

    public TimeSpan Maximum { get; }

    /// <summary>Null passes, as with <see cref="RangeAttribute"/> (a nullable duration left unset); a non-duration fails.</summary>
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan duration => duration >= Minimum && duration <= Maximum,
        _ => false,
    };

    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, Minimum, Maximum);
}
