using FsCheck;
using FsCheck.Fluent;

namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>FsCheck generators for the phone-number properties.</summary>
public static class NumberGenerators
{
    /// <summary>The restricted prefixes as BF-9's table and the web form's notes write them (the oracle, written apart from the rule).</summary>
    public static readonly string[] RestrictedPrefixes =
        ["0070", "0077", "0088", "001", "0081", "00", "010", "060", "0120", "0800", "0570", "0180", "1"];

    // Real area codes without the trunk 0 (Tokyo, Osaka, Sapporo, ... and some 4- and 5-digit ones).
    private static readonly string[] AreaCodes =
        ["3", "6", "11", "22", "25", "45", "46", "48", "52", "54", "55", "59", "72", "75", "78", "82", "86", "92", "95", "96", "98", "99",
         "138", "166", "178", "258", "466", "537", "558", "749", "865", "980", "1267", "4992", "5769"];

    private static readonly string[] Separators = ["-", " ", "\u3000", "\uFF0D", "\u2010", "\u2212", "\u30FC", "(", ")", "."];

    private static readonly char[] NotationAlphabet =
        ['0', '1', '2', '5', '7', '8', '9', '\uFF10', '\uFF11', '\uFF12', '\uFF18', '-', ' ', '\uFF0D', '+', '\uFF0B', '#', '\uFF03', '*', '(', 'x'];

    public static Arbitrary<OrdinaryNumber> Ordinary() =>
        Gen.OneOf(Fixed(), Mobile()).Select(d => new OrdinaryNumber(d)).ToArbitrary();

    public static Arbitrary<RestrictedNumber> Restricted() =>
        Gen.OneOf(
                from prefix in Gen.Elements(RestrictedPrefixes.Where(p => p != "1"))
                from rest in Digits(0, 9)
                select prefix + rest,
                from xy in Digits(2, 2)
                from rest in Digits(0, 6)
                select "1" + xy + rest,
                from abcd in Digits(4, 4)
                select "#" + abcd)
            .Select(t => new RestrictedNumber(t))
            .ToArbitrary();

    public static Arbitrary<WrittenNumber> Written() =>
        (from digits in Gen.OneOf(Fixed(), Mobile(), Restricted().Generator.Select(r => r.Text).Where(t => !t.StartsWith('#')))
         from written in WrittenForms(digits)
         select new WrittenNumber(written, digits)).ToArbitrary();

    public static Arbitrary<WrittenOrdinaryNumber> WrittenOrdinary() =>
        (from digits in Gen.OneOf(Fixed(), Mobile())
         from written in WrittenForms(digits)
         select new WrittenOrdinaryNumber(written, digits)).ToArbitrary();

    public static Arbitrary<WrittenRestrictedNumber> WrittenRestricted() =>
        (from text in Restricted().Generator.Select(r => r.Text)
         from written in WrittenForms(text)
         select new WrittenRestrictedNumber(written, text)).ToArbitrary();

    public static Arbitrary<NotationText> Notation() =>
        (from length in Gen.Choose(0, 20)
         from chars in Gen.ArrayOf(Gen.Elements(NotationAlphabet), length)
         select new NotationText(new string(chars))).ToArbitrary();

    /// <summary>One of the ways <paramref name="text"/> (digits, or # and digits) can be written.</summary>
    public static Gen<string> WrittenForms(string text) =>
        from international in Gen.Elements(0, 1, 2, 3)
        from perChar in Gen.ArrayOf(Gen.Choose(0, 5), text.Length)
        from separators in Gen.ArrayOf(Gen.Elements(Separators), text.Length)
        from pad in Gen.Elements("", " ", "\u3000")
        select pad + Prefix(text, international) + Disguise(text, international, perChar, separators) + pad;

    // A local number starts with 2-9 (0 and 1 after an area code are not subscriber numbers: 06-0... would be e-call 060).
    private static Gen<string> Fixed() =>
        from area in Gen.Elements(AreaCodes)
        from first in Gen.Choose(2, 9)
        from rest in Digits(8 - area.Length, 8 - area.Length)
        select "0" + area + first + rest;

    private static Gen<string> Mobile() =>
        Gen.OneOf(
            from prefix in Gen.Elements("090", "070", "050")
            from rest in Digits(8, 8)
            select prefix + rest,
            from first in Gen.Choose(1, 9) // 080-0 is free-dial 0800
            from rest in Digits(7, 7)
            select "080" + first + rest);

    private static Gen<string> Digits(int min, int max) =>
        from length in Gen.Choose(min, max)
        from digits in Gen.ArrayOf(Gen.Choose(0, 9), length)
        select string.Concat(digits);

    // The trunk 0 of a number with a national significant number (0 then not 0) may be written +81, ＋８１ or +81 (0).
    // Carrier-access numbers (00XY...) have no +81 form: a 0 after +81 is the trunk prefix, never a digit of the number.
    private static bool HasInternationalForm(string text) => text.Length > 1 && text[0] == '0' && text[1] != '0';

    private static string Prefix(string text, int international) =>
        !HasInternationalForm(text) ? "" : international switch { 1 => "+81", 2 => "\uFF0B\uFF18\uFF11", 3 => "+81 (0)", _ => "" };

    private static string Disguise(string text, int international, int[] perChar, string[] separators)
    {
        var written = new System.Text.StringBuilder();
        var start = HasInternationalForm(text) && international != 0 ? 1 : 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            var fullWidth = perChar[i] >= 3;
            written.Append(c switch
            {
                '#' when fullWidth => '\uFF03',
                >= '0' and <= '9' when fullWidth => (char)('\uFF10' + (c - '0')),
                _ => c,
            });
            if (perChar[i] % 3 == 0 && i < text.Length - 1)
            {
                written.Append(separators[i]);
            }
        }

        return written.ToString();
    }
}
