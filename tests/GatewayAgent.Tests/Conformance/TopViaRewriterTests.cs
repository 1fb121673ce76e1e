using System.Text;
using System.Text.RegularExpressions;

namespace GatewayAgent.Tests.Conformance;

/// <summary>The Via rewrite the RFC 4475 tests rely on changes the top Via's sent-by and nothing else.</summary>
[Trait("Ring", "unit")]
public sealed class TopViaRewriterTests
{
    private const int Port = 40123;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var row in ConformanceCorpus.Manifest())
        {
            data.Add(row.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Rewrite_ReplacesOnlyTheTopSentBy(string name)
    {
        var original = ConformanceCorpus.Read(name);

        var rewritten = TopViaRewriter.Rewrite(original, Port, out var sentBy);

        // original = prefix + sentBy + suffix, rewritten = prefix + our address (+ ";rport") + suffix.
        var text = Encoding.Latin1.GetString(original);
        var via = Regex.Match(text, @"\r\n(?i:via|v)[ \t]*:");
        Assert.True(via.Success, $"no Via in {name}");
        var at = text.IndexOf(sentBy, via.Index, StringComparison.Ordinal);
        Assert.True(at > 0, $"'{sentBy}' not found in {name}");
        var inserted = Encoding.Latin1.GetString(rewritten, at, rewritten.Length - original.Length + sentBy.Length);
        Assert.True(inserted is "127.0.0.1:40123;rport" or "127.0.0.1:40123", inserted);
        Assert.Equal(original.AsSpan(0, at).ToArray(), rewritten.AsSpan(0, at).ToArray());
        Assert.Equal(original.AsSpan(at + sentBy.Length).ToArray(), rewritten.AsSpan(at + inserted.Length).ToArray());
    }

    [Fact]
    public void Rewrite_FindsTheSentByOfAViaFoldedOverLines()
    {
        var rewritten = Encoding.Latin1.GetString(TopViaRewriter.Rewrite(ConformanceCorpus.Read("wsinv"), Port));

        Assert.Contains("Via  : SIP  /   2.0\r\n /UDP\r\n    127.0.0.1:40123;rport;branch=390skdjuw\r\n", rewritten, StringComparison.Ordinal);
        Assert.Contains("v:  SIP  / 2.0  / TCP     spindle.example.com   ;\r\n", rewritten, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_KeepsAnExistingRport()
    {
        var rewritten = Encoding.Latin1.GetString(TopViaRewriter.Rewrite(ConformanceCorpus.Read("mpart01"), Port));

        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.1:40123;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport\r\n", rewritten, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_TouchesOnlyTheFirstOfSeveralVias()
    {
        var rewritten = Encoding.Latin1.GetString(TopViaRewriter.Rewrite(ConformanceCorpus.Read("transports"), Port));

        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.1:40123;rport;branch=z9hG4bKkdjuw\r\nVia: SIP/2.0/SCTP t2.example.com;", rewritten, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_WithoutVia_Throws() =>
        Assert.Throws<FormatException>(() => TopViaRewriter.Rewrite("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n"u8, Port));
}
