using FsCheck;
using FsCheck.Fluent;

namespace GatewayAgent.Domain.Tests.Accounts;

/// <summary>FsCheck generators for the SS-5 password properties.</summary>
public static class PasswordGenerators
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private const string Digits = "0123456789";

    // Mostly the allowed alphabet, weighted toward short alphabets so runs and sequences happen often, plus characters
    // the rule refuses: full-width letters and digits, symbols, a space, kana.
    private static readonly Gen<char> TypedCharacter = Gen.Frequency(
        (6, Gen.Elements((Letters + Digits).ToCharArray())),
        (4, Gen.Elements("0123abcdAB".ToCharArray())),
        (1, Gen.Elements('Ａ', '１', '!', '-', ' ', 'あ', '_', 'é')));

    public static Arbitrary<CandidatePassword> Candidate() =>
        (from length in Gen.Choose(0, 16)
         from chars in Gen.ArrayOf(TypedCharacter, length)
         select new CandidatePassword(new string(chars))).ToArbitrary();

    public static Arbitrary<AlternatingPassword> Alternating() =>
        (from length in Gen.Choose(8, 12)
         from letterFirst in Gen.Elements(true, false)
         from letters in Gen.ArrayOf(Gen.Elements(Letters.ToCharArray()), length)
         from digits in Gen.ArrayOf(Gen.Elements(Digits.ToCharArray()), length)
         select new AlternatingPassword(new string(
             Enumerable.Range(0, length).Select(i => (i % 2 == 0) == letterFirst ? letters[i] : digits[i]).ToArray())))
        .ToArbitrary();
}
