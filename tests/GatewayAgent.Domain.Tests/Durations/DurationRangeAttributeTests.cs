using System.ComponentModel.DataAnnotations;
using GatewayAgent.Domain.Durations;

namespace GatewayAgent.Domain.Tests.Durations;

/// <summary>[DurationRange] replaces [Range(typeof(TimeSpan), ...)] (trim-safe): same limits, same verdicts, same message.</summary>
[Trait("Ring", "unit")]
public sealed class DurationRangeAttributeTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "00:00:00.010", "00:00:10", "00:00:00.010" },
        { "00:00:00.010", "00:00:10", "00:00:10" },
        { "00:00:00.010", "00:00:10", "00:00:00.009" },
        { "00:00:00.010", "00:00:10", "00:00:10.001" },
        { "00:00:00", "7.00:00:00", "7.00:00:01" },
        { "00:00:01", "49710.00:00:00", "-00:00:01" },
        { "00:00:05", "18:12:15", "1.00:00:00" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verdict_And_Message_MatchRangeOfTimeSpan(string minimum, string maximum, string value)
    {
        var range = new RangeAttribute(typeof(TimeSpan), minimum, maximum);
        var duration = new DurationRangeAttribute(minimum, maximum);
        var candidate = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(range.IsValid(candidate), duration.IsValid(candidate));
        Assert.Equal(range.FormatErrorMessage("KeepAlive"), duration.FormatErrorMessage("KeepAlive"));
    }

    [Fact]
    public void UnsetNullableDuration_Passes_OtherTypes_Fail()
    {
        var duration = new DurationRangeAttribute("00:00:01", "00:01:00");

        Assert.True(duration.IsValid(null));
        Assert.False(duration.IsValid(5));
        Assert.Equal("The field T must be between 00:00:01 and 00:01:00.", duration.FormatErrorMessage("T"));
    }

    [Fact]
    public void MinimumAboveMaximum_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new DurationRangeAttribute("00:01:00", "00:00:01"));
    }
}
