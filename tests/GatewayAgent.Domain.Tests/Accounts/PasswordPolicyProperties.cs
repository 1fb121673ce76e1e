using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Domain.Tests.Accounts;

/// <summary>SS-5 over generated passwords, against an oracle written apart from the rule (windows of 4 characters).</summary>
[Trait("Ring", "unit")]
[Properties(Arbitrary = [typeof(PasswordGenerators)], MaxTest = 1000)]
public sealed class PasswordPolicyProperties
{
    private const string Number = "0312345678";

    [Property]
    public bool Accepted_exactly_when_the_oracle_accepts_SS_5(CandidatePassword candidate) =>
        (PasswordPolicy.Check(candidate.Text, [Number]).Count == 0) == OracleAccepts(candidate.Text, Number);

    [Property]
    public bool Passwords_valid_by_construction_are_accepted_SS_5(AlternatingPassword password) =>
        PasswordPolicy.Check(password.Text, [Number, "09012345678"]).Count == 0;

    [Property]
    public Property Four_identical_characters_anywhere_are_refused_SS_5(AlternatingPassword password, NonNegativeInt at, char seed)
    {
        var c = "0123456789abcdefXYZ"[Math.Abs(seed) % 19];
        var position = at.Get % (password.Text.Length + 1);
        var text = password.Text.Insert(position, new string(c, 4));
        return PasswordPolicy.Check(text, [Number]).Contains(PasswordBreach.RepeatedCharacters).Label(text);
    }

    [Property]
    public Property Four_ascending_or_descending_characters_anywhere_are_refused_SS_5(
        AlternatingPassword password, NonNegativeInt at, NonNegativeInt start, bool descending, bool letters)
    {
        var alphabet = letters ? "abcdefghijklmnopqrstuvwxyz" : "0123456789";
        var from = start.Get % (alphabet.Length - 3);
        var run = alphabet.Substring(from, 4);
        if (descending)
        {
            run = new string(run.Reverse().ToArray());
        }

        var text = password.Text.Insert(at.Get % (password.Text.Length + 1), run);
        return PasswordPolicy.Check(text, [Number]).Contains(PasswordBreach.Sequence).Label(text);
    }

    [Property]
    public Property A_password_containing_the_phone_number_is_refused_SS_5(NonNegativeInt prefix, bool letterAfter)
    {
        var text = "ab"[..(prefix.Get % 3)] + Number + (letterAfter ? "z" : "");
        return PasswordPolicy.Check(text, [Number]).Contains(PasswordBreach.ContainsPhoneNumber).Label(text);
    }

    [Property]
    public Property Digits_only_is_refused_whatever_the_length_SS_5(PositiveInt length, int seed)
    {
        var random = new Random(seed);
        var text = new string(Enumerable.Range(0, 1 + (length.Get % 16)).Select(_ => (char)('0' + random.Next(10))).ToArray());
        return PasswordPolicy.Check(text, []).Contains(PasswordBreach.DigitsOnly).Label(text);
    }

    [Property]
    public Property The_current_password_is_refused_and_another_is_not_SS_5(AlternatingPassword current, AlternatingPassword candidate)
    {
        var breaches = PasswordPolicy.Check(candidate.Text, [Number], p => p == current.Text);
        return (breaches.Contains(PasswordBreach.SameAsCurrent) == (candidate.Text == current.Text)).Label(candidate.Text);
    }

    [Property]
    public bool Every_breach_has_a_Japanese_message_SS_5(CandidatePassword candidate) =>
        PasswordPolicy.Check(candidate.Text, [Number]).All(b => PasswordPolicy.Message(b).Any(c => c > '\u3000'));

    // The oracle: the rule restated as windows of 4 characters, without the rule's run counter.
    private static bool OracleAccepts(string text, string number)
    {
        if (text.Length < 8 || text.Length > 12 || text.Any(c => !(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9')))
        {
            return false;
        }

        if (text.All(c => c is >= '0' and <= '9') || text.Contains(number, StringComparison.Ordinal))
        {
            return false;
        }

        var lower = text.ToLowerInvariant();
        for (var i = 0; i + 4 <= lower.Length; i++)
        {
            var window = lower.Substring(i, 4);
            var sameClass = window.All(char.IsDigit) || window.All(char.IsLetter);
            var steps = Enumerable.Range(1, 3).Select(k => window[k] - window[k - 1]).ToArray();
            if (steps.All(s => s == 0) || (sameClass && (steps.All(s => s == 1) || steps.All(s => s == -1))))
            {
                return false;
            }
        }

        return true;
    }
}
