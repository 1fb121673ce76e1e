using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;

namespace GatewayAgent.Sip.Tests.Parsing;

/// <summary>The RFC 4475 torture messages, with the verdicts MANIFEST.tsv gives.</summary>
[Trait("Ring", "unit")]
public sealed class Rfc4475ParserTests
{
    public static TheoryData<string> Valid() => Names("valid");

    public static TheoryData<string> Invalid() => Names("invalid");

    public static TheoryData<string> Semantic() => Names("semantic");

    private static TheoryData<string> Names(string cls)
    {
        var data = new TheoryData<string>();
        foreach (var row in ConformanceCorpus.Manifest().Where(r => r.Class == cls))
        {
            data.Add(row.Name);
        }

        return data;
    }

    [Fact]
    public void Manifest_HasTheExpectedCounts()
    {
        var rows = ConformanceCorpus.Manifest().ToList();
        Assert.Equal(13, rows.Count(r => r.Class == "valid"));
        Assert.Equal(19, rows.Count(r => r.Class == "invalid"));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void ValidMessage_Parses(string name)
    {
        var result = SipParser.Parse(ConformanceCorpus.Read(name));
        Assert.True(result.IsValid, $"{name}: {result}");
        Assert.NotNull(result.Message);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidMessage_IsRejected(string name)
    {
        var result = SipParser.Parse(ConformanceCorpus.Read(name));
        Assert.False(result.IsValid, $"{name} was accepted");
        if (result.Status == SipParseStatus.Invalid && result.Message is SipRequest)
        {
            Assert.InRange(result.ResponseCode, 400, 505);
        }
    }

    [Theory]
    [MemberData(nameof(Semantic))]
    public void SemanticMessage_NeverThrows(string name)
    {
        var result = SipParser.Parse(ConformanceCorpus.Read(name));
        Assert.NotNull(result);
    }

    [Theory]
    [InlineData("badbranch")]
    [InlineData("unkscm")]
    [InlineData("novelsc")]
    [InlineData("unksm2")]
    [InlineData("bext01")]
    [InlineData("invut")]
    [InlineData("regaut01")]
    [InlineData("zeromf")]
    [InlineData("cparam01")]
    [InlineData("cparam02")]
    [InlineData("regescrt")]
    [InlineData("sdp01")]
    [InlineData("inv2543")]
    public void SemanticMessage_ThatMustParse_Parses(string name)
    {
        var result = SipParser.Parse(ConformanceCorpus.Read(name));
        Assert.True(result.IsValid, $"{name}: {result}");
    }

    [Theory]
    [InlineData("insuf")]
    [InlineData("multi01")]
    [InlineData("mcl01")]
    public void SemanticMessage_WithBadHeaders_Gets400(string name)
    {
        var result = SipParser.Parse(ConformanceCorpus.Read(name));
        Assert.Equal(SipParseStatus.Invalid, result.Status);
        Assert.Equal(400, result.ResponseCode);
    }

    [Fact]
    public void BadVersion_Gets505()
    {
        var result = SipParser.Parse(ConformanceCorpus.Read("badvers"));
        Assert.Equal(SipParseStatus.Invalid, result.Status);
        Assert.Equal(505, result.ResponseCode);
    }

    [Fact]
    public void ExtraOctetsAfterBody_AreIgnored()
    {
        var result = SipParser.Parse(ConformanceCorpus.Read("dblreq"));
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(int.Parse(result.Message!.Headers[HeaderNames.ContentLength]!), result.Message.Body.Length);
    }

    [Fact]
    public void WhitespaceTorture_ReadsFoldedValues()
    {
        var message = (SipRequest)SipParser.Parse(ConformanceCorpus.Read("wsinv")).Message!;
        Assert.Equal("INVITE", message.Method);
        Assert.Equal("1918181833n", message.To!.Tag);
        Assert.Equal("98asjd8", message.From!.Tag);
        Assert.Equal("J Rosenberg \\\"", message.From.DisplayName);
        Assert.Equal(68, message.MaxForwards);
        Assert.Equal(new CSeqHeader(9, "INVITE"), message.CSeq);
        Assert.Equal(3, message.Vias.Count);
        Assert.Equal("UDP", message.Vias[0].Transport);
        Assert.Equal("192.0.2.2", message.Vias[0].Host);
        Assert.Equal("TCP", message.Vias[1].Transport);
        Assert.Equal("z9hG4bK30239", message.Vias[2].Branch);
        Assert.Equal("newfangled value continued newfangled value", message.Headers["NewFangledHeader"]);
        Assert.Equal(150, message.Body.Length);
    }

    [Fact]
    public void EveryMessage_RoundTripsThroughTheSerializer()
    {
        foreach (var row in ConformanceCorpus.Manifest())
        {
            var first = SipParser.Parse(ConformanceCorpus.Read(row.Name));
            if (!first.IsValid)
            {
                continue;
            }

            var bytes = first.Message!.ToBytes();
            var second = SipParser.Parse(bytes);
            Assert.True(second.IsValid, $"{row.Name} re-parse: {second}");
            Assert.Equal(bytes, second.Message!.ToBytes());
        }
    }
}
