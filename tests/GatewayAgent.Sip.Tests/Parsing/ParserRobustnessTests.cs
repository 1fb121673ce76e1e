using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;

namespace GatewayAgent.Sip.Tests.Parsing;

/// <summary>Never an unhandled exception, for any bytes: mutated corpus messages and random noise through the parser and every typed view.</summary>
[Trait("Ring", "unit")]
public sealed class ParserRobustnessTests
{
    [Fact]
    public void MutatedCorpusMessages_NeverThrow()
    {
        var random = new Random(4475); // fixed seed: a failure reproduces
        var corpus = ConformanceCorpus.Manifest().Select(r => ConformanceCorpus.Read(r.Name)).ToList();
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = Mutate(corpus[random.Next(corpus.Count)], random);
            var result = SipParser.Parse(bytes);
            Assert.NotNull(result);
            if (result.Message is { } message)
            {
                parsed++;
                Touch(message);
            }
        }

        Assert.True(parsed > 1000, $"only {parsed} mutated messages were readable: the mutations are too destructive to test the typed views");
    }

    [Fact]
    public void RandomNoise_NeverThrows()
    {
        var random = new Random(3261);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = new byte[random.Next(0, 2048)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length > 40)
            {
                "INVITE sip:a@b SIP/2.0\r\n"u8.CopyTo(bytes);
            }

            Assert.NotEqual(SipParseStatus.Valid, SipParser.Parse(bytes).Status);
        }
    }

    private static void Touch(SipMessage message)
    {
        _ = message.Vias;
        _ = message.From?.ToString();
        _ = message.To?.Tag;
        _ = message.CSeq;
        _ = message.MaxForwards;
        _ = message.GetOptionTags(HeaderNames.Require).ToList();
        foreach (var h in message.Headers)
        {
            _ = NameAddress.TryParse(h.Value, out _);
            _ = ViaHeader.TryParse(h.Value, out _);
            _ = SipUri.TryParse(h.Value, out _);
        }

        var bytes = message.ToBytes();
        _ = SipParser.Parse(bytes);
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = new List<byte>(source);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, "\r\n;:,<>\"@%\\ \t="u8[random.Next(14)]);
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)));
                    break;
                case 4:
                    var from = random.Next(bytes.Count);
                    bytes.InsertRange(at, bytes.GetRange(from, Math.Min(20, bytes.Count - from)));
                    break;
                default:
                    bytes[at] = (byte)(bytes[at] ^ (1 << random.Next(8)));
                    break;
            }
        }

        return [.. bytes];
    }
}
