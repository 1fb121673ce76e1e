using FsCheck.Xunit;
using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>BF-9 over generated numbers: no notation carries a restricted number past the rule.</summary>
[Trait("Ring", "unit")]
[Properties(Arbitrary = [typeof(NumberGenerators)], MaxTest = 500)]
public sealed class RestrictedDestinationProperties
{
    [Property]
    public bool Every_number_with_a_restricted_prefix_is_refused_BF_9(RestrictedNumber number) =>
        RestrictedDestination.IsRestricted(number.Text);

    [Property]
    public bool Every_written_form_of_a_restricted_number_is_refused_BF_9(WrittenRestrictedNumber number) =>
        RestrictedDestination.IsRestricted(number.Written);

    [Property]
    public bool Written_forms_are_refused_exactly_when_their_digits_are_BF_9(WrittenNumber number) =>
        RestrictedDestination.IsRestricted(number.Written) == RestrictedDestination.IsRestricted(number.Digits);

    [Property]
    public bool Ordinary_fixed_and_mobile_numbers_are_allowed_in_any_notation_BF_9(WrittenOrdinaryNumber number) =>
        !RestrictedDestination.IsRestricted(number.Written)
        && !RestrictedDestination.IsRestricted(number.Digits)
        && PhoneNumber.IsSubscriberNumber(PhoneNumber.Normalize(number.Written));

    /// <summary>Whatever a stranger types: when BF-9 lets it through as a subscriber number, its digits start with no restricted prefix.</summary>
    [Property(MaxTest = 5000)]
    public bool Nothing_the_rule_allows_starts_with_a_restricted_prefix_BF_9(NotationText text) =>
        RestrictedDestination.IsRestricted(text.Text)
        || PhoneNumber.Normalize(text.Text) is not { } digits
        || !PhoneNumber.IsSubscriberNumber(digits)
        || !NumberGenerators.RestrictedPrefixes.Any(p => digits.StartsWith(p, StringComparison.Ordinal));
}
