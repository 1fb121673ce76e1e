using System.Text;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.Tests.Support;

namespace GatewayAgent.Sip.Tests.Transport;

[Trait("Ring", "unit")]
public sealed class SipStreamFramerTests
{
    private const string Via = "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK74bf9";

    /// <summary>One byte at a time, odd sizes that split CRLFs and the blank line, and everything at once.</summary>
    public static TheoryData<int> ChunkSizes() => [1, 2, 3, 5, 13, 100, 4096, int.MaxValue];

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Append_OneMessageWithBody_FramesItWhole(int chunk)
    {
        var message = TestMessages.OptionsRequestBytes(Via, body: "hello\r\n\r\nworld");

        var (messages, pings, error) = Feed(new SipStreamFramer(65535), message, chunk);

        Assert.Null(error);
        Assert.Equal(0, pings);
        Assert.Equal(message, Assert.Single(messages));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Append_SeveralMessagesInOneStream_FramesEachInOrder(int chunk)
    {
        var first = TestMessages.OptionsRequest(Via, "call-1", body: "v=0\r\n");
        var compact = TestMessages.OptionsRequest(Via, "call-2", body: "abc").Replace("Content-Length: 3", "l: 3", StringComparison.Ordinal);
        var lowerCase = TestMessages.OptionsRequest(Via, "call-3", body: "12345").Replace("Content-Length:", "content-LENGTH :", StringComparison.Ordinal);
        var noLength = TestMessages.OptionsRequest(Via, "call-4").Replace("Content-Length: 0\r\n", "", StringComparison.Ordinal);
        var last = TestMessages.OptionsRequest(Via, "call-5");
        string[] expected = [first, compact, lowerCase, noLength, last];

        var (messages, _, error) = Feed(new SipStreamFramer(65535), Encoding.UTF8.GetBytes(string.Concat(expected)), chunk);

        Assert.Null(error);
        Assert.Equal(expected, messages.Select(m => Encoding.UTF8.GetString(m)));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Append_FramedMessages_ParseAsValid(int chunk)
    {
        var stream = Encoding.UTF8.GetBytes(TestMessages.OptionsRequest(Via, "call-1", body: "x") + TestMessages.OptionsRequest(Via, "call-2"));

        var (messages, _, _) = Feed(new SipStreamFramer(65535), stream, chunk);

        Assert.Equal(["call-1", "call-2"], messages.Select(m => SipParser.Parse(m).Message!.CallId));
        Assert.All(messages, m => Assert.True(SipParser.Parse(m).IsValid));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Append_DoubleCrlfBetweenMessages_IsAPingAndIsSkipped(int chunk)
    {
        var message = TestMessages.OptionsRequest(Via);
        var stream = Encoding.UTF8.GetBytes("\r\n\r\n" + message + "\r\n\r\n\r\n\r\n" + message);

        var (messages, pings, error) = Feed(new SipStreamFramer(65535), stream, chunk);

        Assert.Null(error);
        Assert.Equal(3, pings);
        Assert.Equal([message, message], messages.Select(m => Encoding.UTF8.GetString(m)));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Append_SingleCrlf_IsAPongThatNeedsNoAnswer(int chunk)
    {
        var message = TestMessages.OptionsRequest(Via);

        var (messages, pings, error) = Feed(new SipStreamFramer(65535), Encoding.UTF8.GetBytes("\r\n" + message + "\r\n"), chunk);

        Assert.Null(error);
        Assert.Equal(0, pings);
        Assert.Single(messages);
    }

    [Fact]
    public void Append_PingSplitAcrossCalls_IsCountedOnce()
    {
        var framer = new SipStreamFramer(65535);
        var messages = new List<byte[]>();

        Assert.Equal(0, framer.Append("\r\n\r"u8, messages).PingCount);
        Assert.Equal(1, framer.Append("\n"u8, messages).PingCount);
        Assert.Empty(messages);
        Assert.Equal(0, framer.BufferedBytes);
    }

    [Fact]
    public void Append_IncompleteMessage_IsHeldUntilTheRestArrives()
    {
        var message = TestMessages.OptionsRequestBytes(Via, body: "0123456789");
        var framer = new SipStreamFramer(65535);
        var messages = new List<byte[]>();

        framer.Append(message.AsSpan(0, message.Length - 1), messages);
        Assert.Empty(messages);
        Assert.Equal(message.Length - 1, framer.BufferedBytes);

        framer.Append(message.AsSpan(message.Length - 1), messages);
        Assert.Equal(message, Assert.Single(messages));
        Assert.Equal(0, framer.BufferedBytes);
    }

    [Theory]
    [InlineData("Content-Length:\r\n 7")]
    [InlineData("Content-Length :\t7  ")]
    [InlineData("Content-Length: 0007")]
    public void Append_ContentLengthWithLwsOrFolding_IsRead(string header)
    {
        var text = TestMessages.OptionsRequest(Via, body: "payload").Replace("Content-Length: 7", header, StringComparison.Ordinal);

        var (messages, _, error) = Feed(new SipStreamFramer(65535), Encoding.UTF8.GetBytes(text + TestMessages.OptionsRequest(Via)), 1);

        Assert.Null(error);
        Assert.Equal(2, messages.Count);
        Assert.EndsWith("\r\n\r\npayload", Encoding.UTF8.GetString(messages[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Append_BareLfLineEnds_AreFramedLikeTheParserReadsThem()
    {
        var text = TestMessages.OptionsRequest(Via, body: "abc").Replace("\r\n", "\n", StringComparison.Ordinal);

        var (messages, _, error) = Feed(new SipStreamFramer(65535), Encoding.UTF8.GetBytes(text + text), 3);

        Assert.Null(error);
        Assert.Equal([text, text], messages.Select(m => Encoding.UTF8.GetString(m)));
    }

    [Fact]
    public void Append_RepeatedEqualContentLength_IsAccepted()
    {
        var text = TestMessages.OptionsRequest(Via, body: "abc").Replace("Content-Length: 3", "Content-Length: 3\r\nl: 3", StringComparison.Ordinal);

        var (messages, _, error) = Feed(new SipStreamFramer(65535), Encoding.UTF8.GetBytes(text), 7);

        Assert.Null(error);
        Assert.Single(messages);
    }

    [Theory]
    [InlineData("Content-Length: abc", "unreadable Content-Length")]
    [InlineData("Content-Length: -1", "unreadable Content-Length")]
    [InlineData("Content-Length: 1 2", "unreadable Content-Length")]
    [InlineData("Content-Length: 99999999999", "unreadable Content-Length")]
    [InlineData("Content-Length:", "unreadable Content-Length")]
    [InlineData("Content-Length: 0\r\nContent-Length: 5", "conflicting Content-Length")]
    public void Append_UnreadableContentLength_IsAFramingError(string header, string expected)
    {
        var good = TestMessages.OptionsRequest(Via, "good");
        var bad = TestMessages.OptionsRequest(Via, "bad").Replace("Content-Length: 0", header, StringComparison.Ordinal);

        var (messages, _, error) = Feed(new SipStreamFramer(65535), Encoding.UTF8.GetBytes(good + bad), 4096);

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(good, Encoding.UTF8.GetString(Assert.Single(messages)));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Append_HeaderSectionBeyondTheLimit_IsAFramingError(int chunk)
    {
        var endless = Encoding.UTF8.GetBytes("OPTIONS sip:x@192.0.2.1 SIP/2.0\r\n" + new string('X', 2000));
        var framer = new SipStreamFramer(1024);

        var (messages, _, error) = Feed(framer, endless, chunk);

        Assert.Contains("header section longer than 1024 bytes", error, StringComparison.Ordinal);
        Assert.Empty(messages);
        Assert.Equal(0, framer.BufferedBytes);
    }

    [Fact]
    public void Append_ContentLengthBeyondTheLimit_FailsBeforeTheBodyArrives()
    {
        var headers = TestMessages.OptionsRequest(Via).Replace("Content-Length: 0", "Content-Length: 70000", StringComparison.Ordinal);
        var framer = new SipStreamFramer(65535);

        var result = framer.Append(Encoding.UTF8.GetBytes(headers), new List<byte[]>());

        Assert.True(result.IsError);
        Assert.Contains("exceeds the 65535-byte limit", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void Append_MessageOfExactlyTheLimit_IsAcceptedAndOneMoreByteIsNot(int extra, bool accepted)
    {
        var headerLength = TestMessages.OptionsRequestBytes(Via, body: "").Length;
        var max = 2048;
        var bodyLength = max + extra - headerLength - 3; // "0" becomes a 4-digit length
        var message = TestMessages.OptionsRequestBytes(Via, body: new string('b', bodyLength));
        Assert.Equal(max + extra, message.Length);

        var (messages, _, error) = Feed(new SipStreamFramer(max), message, 1);

        Assert.Equal(accepted, error is null);
        Assert.Equal(accepted ? 1 : 0, messages.Count);
    }

    [Fact]
    public void Append_AfterAFramingError_KeepsReportingItAndFramesNothing()
    {
        var framer = new SipStreamFramer(65535);
        var messages = new List<byte[]>();
        var bad = TestMessages.OptionsRequest(Via).Replace("Content-Length: 0", "Content-Length: x", StringComparison.Ordinal);
        var first = framer.Append(Encoding.UTF8.GetBytes(bad), messages);

        var again = framer.Append(TestMessages.OptionsRequestBytes(Via), messages);

        Assert.True(first.IsError);
        Assert.Equal(first.Error, again.Error);
        Assert.Equal(first.Error, framer.Error);
        Assert.Empty(messages);
    }

    [Fact]
    public void Append_ManyMessagesThroughASmallLimit_ReusesTheBuffer()
    {
        var message = TestMessages.OptionsRequestBytes(Via, body: new string('z', 300));
        var stream = Enumerable.Repeat(message, 50).SelectMany(m => m).ToArray();

        var (messages, _, error) = Feed(new SipStreamFramer(1024), stream, 700);

        Assert.Null(error);
        Assert.Equal(50, messages.Count);
        Assert.All(messages, m => Assert.Equal(message, m));
    }

    private static (List<byte[]> Messages, int Pings, string? Error) Feed(SipStreamFramer framer, byte[] data, int chunk)
    {
        var messages = new List<byte[]>();
        var pings = 0;
        string? error = null;
        for (var i = 0; i < data.Length && error is null; i += Math.Min(chunk, data.Length - i))
        {
            var result = framer.Append(data.AsSpan(i, Math.Min(chunk, data.Length - i)), messages);
            pings += result.PingCount;
            error = result.Error;
        }

        return (messages, pings, error);
    }
}
