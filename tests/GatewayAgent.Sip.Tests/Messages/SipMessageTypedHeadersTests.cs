using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Tests.Support;

namespace GatewayAgent.Sip.Tests.Messages;

/// <summary>
/// The typed Via/From/To/CSeq of a parsed message are the ones the validator parsed (issue 13): reading them again
/// returns the same instances and parses nothing; a change to the headers drops them.
/// </summary>
[Trait("Ring", "unit")]
public sealed class SipMessageTypedHeadersTests
{
    private static SipMessage Parse() =>
        SipParser.Parse(TestMessages.Invite().Replace("Max-Forwards: 70", "Max-Forwards: 70\nContact: <sip:alice@192.0.2.10;transport=udp>")
            .ReplaceLineEndings("\r\n")).Message!;

    [Fact]
    public void TypedHeaders_ReadTwice_AreTheSameInstances()
    {
        var message = Parse();

        Assert.Same(message.Vias, message.Vias);
        Assert.Same(message.TopVia, message.TopVia);
        Assert.Same(message.From, message.From);
        Assert.Same(message.To, message.To);
        Assert.Same(message.CSeq!.Value.Method, message.CSeq!.Value.Method);
        Assert.Same(SipMethods.Invite, message.CSeq!.Value.Method);
    }

    [Fact]
    public void ReadingTheTypedHeaders_AfterTheParse_AllocatesNothing()
    {
        ReadTyped(Parse()); // the first call of each accessor is JIT-compiled outside the measurement
        var message = Parse();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = ReadTyped(message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(sum > 0);
        Assert.Equal(0, allocated); // a parse would make a ViaHeader, a NameAddress... on this thread
    }

    [Fact]
    public void ChangingTheHeaders_DropsTheCachedTypedHeaders()
    {
        var message = Parse();
        var from = message.From;

        message.Headers.Set(HeaderNames.From, "<sip:bob@192.0.2.30>;tag=new");

        Assert.NotSame(from, message.From);
        Assert.Equal("new", message.From!.Tag);
        Assert.Equal("192.0.2.30", message.From.Uri.Host);
    }

    [Fact]
    public void RawValues_KeepTheirOrder_ThroughSetRemoveAndAddFirst()
    {
        var message = Parse();
        var count = message.Headers.Count;

        message.Headers.AddFirst(HeaderNames.Via, "SIP/2.0/UDP 192.0.2.99;branch=z9hG4bK-top");
        message.Headers.Set(HeaderNames.MaxForwards, "69");
        message.Headers.RemoveFirst(HeaderNames.Contact);

        Assert.Equal(count, message.Headers.Count);
        Assert.Equal("z9hG4bK-top", message.TopVia!.Branch);
        Assert.Equal(2, message.Vias.Count);
        Assert.Equal("69", message.Headers[HeaderNames.MaxForwards]);
        Assert.Null(message.Headers[HeaderNames.Contact]);
        var reparsed = SipParser.Parse(message.ToBytes());
        Assert.True(reparsed.IsValid, reparsed.ToString());
        Assert.Equal(message.Headers.Select(h => h.ToString()), reparsed.Message!.Headers.Select(h => h.ToString()));
    }

    [Fact]
    public void Contact_IsCheckedByTheParser_AndParsedWhenRead()
    {
        var bad = SipParser.Parse(TestMessages.Invite().Replace("Max-Forwards: 70", "Max-Forwards: 70\nContact: <sip:alice@bad host>")
            .ReplaceLineEndings("\r\n"));

        Assert.Equal(SipParseStatus.Invalid, bad.Status);
        Assert.StartsWith("malformed Contact", bad.Error, StringComparison.Ordinal);
        Assert.True(NameAddress.TryParse(Parse().Headers[HeaderNames.Contact]!, out var contact));
        Assert.Equal("udp", contact.Uri.Parameters["transport"]);
    }

    private static long ReadTyped(SipMessage message) =>
        message.Vias.Count + message.TopVia!.Branch!.Length + message.From!.Tag!.Length + (message.To!.Tag is null ? 1 : 2) +
        message.CSeq!.Value.Number + message.From.Uri.Host.Length;
}
