using FsCheck.Xunit;
using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>Normalisation over generated input: any notation of a number is that number, and nothing else gets through.</summary>
[Trait("Ring", "unit")]
[Properties(Arbitrary = [typeof(NumberGenerators)], MaxTest = 500)]
public sealed class PhoneNumberProperties
{
    [Property]
    public bool Normalize_is_idempotent(string? text) =>
        PhoneNumber.Normalize(text) is not { } normalized || PhoneNumber.Normalize(normalized) == normalized;

    [Property]
    public bool Normalize_is_idempotent_on_notations(NotationText text) =>
        PhoneNumber.Normalize(text.Text) is not { } normalized || PhoneNumber.Normalize(normalized) == normalized;

    [Property]
    public bool Normalize_gives_digits_only_or_refuses(string? text) =>
        PhoneNumber.Normalize(text) is not { } normalized || (normalized.Length > 0 && normalized.All(char.IsAsciiDigit));

    [Property]
    public bool Normalize_gives_digits_only_or_refuses_notations(NotationText text) =>
        PhoneNumber.Normalize(text.Text) is not { } normalized || (normalized.Length > 0 && normalized.All(char.IsAsciiDigit));

    [Property]
    public bool Every_written_form_of_a_number_normalises_to_its_digits(WrittenNumber number) =>
        PhoneNumber.Normalize(number.Written) == number.Digits;

    [Property]
    public bool Ordinary_numbers_are_subscriber_numbers(OrdinaryNumber number) =>
        PhoneNumber.IsSubscriberNumber(PhoneNumber.Normalize(number.Digits));
}
