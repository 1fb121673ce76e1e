using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Tests.Support;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static GatewayAgent.Sip.Tests.Support.TestMessages;

namespace GatewayAgent.Sip.Tests.UserAgents;

/// <summary>The probe answerer's decisions (FN-3, FN-11, RFC 3261 §8.2), fed bytes through the transaction layer on a fake clock.</summary>
[Trait("Ring", "integration")]
public sealed class ProbeAnswererTests : IAsyncDisposable
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n";

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();
    private readonly SipTransactionLayer _layer;
    private readonly ProbeAnswerer _answerer;
    private readonly ProbeAnswererOptions _options = new() { MonitorNumbers = ["+81-3-1234-5678"], Channels = 1, MaxCallDuration = TimeSpan.FromSeconds(10) };

    public ProbeAnswererTests()
    {
        _layer = new SipTransactionLayer(_sender, new SipTimerOptions(), _time, NullLogger<SipTransactionLayer>.Instance);
        var ports = new RtpPortAllocator(Options.Create(new RtpPortAllocatorOptions { MinPort = 41000, MaxPort = 41999, BindAddress = "127.0.0.1" }));
        _answerer = new ProbeAnswerer(_layer, _options, ports, _time, NullLogger<ProbeAnswerer>.Instance);
    }

    public ValueTask DisposeAsync() => _answerer.DisposeAsync();

    private static string WithSdp(string request) =>
        request.Replace("Content-Length: 0", "Content-Type: application/sdp\nContent-Length: " + Sdp.Length) + Sdp.Replace("\r\n", "\n");

    private List<int> Codes => _sender.Responses.Select(r => r.StatusCode).ToList();

    [Fact]
    public void Invite_ToTheMonitoringNumber_IsAnsweredAtOnceWithSdp_NoProvisionals()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite(user: "0312345678"))));

        // No 100/180 before an immediate 200 (docs/security.md: no more bytes back than the caller sent).
        Assert.Equal([200], Codes);
        var ok = _sender.Responses[0];
        Assert.Equal("application/sdp", ok.ContentType);
        Assert.Contains("m=audio", System.Text.Encoding.UTF8.GetString(ok.Body.Span));
        Assert.Contains("RTP/AVP 0", System.Text.Encoding.UTF8.GetString(ok.Body.Span));
        Assert.NotNull(ok.Headers[HeaderNames.Contact]);
        Assert.NotNull(ok.To!.Tag);
        Assert.Equal(1, _answerer.GetStatistics().ProbesAnswered);
    }

    [Theory]
    [InlineData("0312345678")]
    [InlineData("+81312345678")]
    [InlineData("03-1234-5678")]
    public void MonitoringNumber_MatchesInAnyNotation(string user)
    {
        // FN-2: the agent answers its monitoring number however the probe writes it.
        _layer.OnMessage(Incoming(WithSdp(Invite(user: user))));

        Assert.Contains(200, Codes);
    }

    [Fact]
    public void AnswerDelay_RingsThenHoldsThe200()
    {
        _options.AnswerDelay = TimeSpan.FromSeconds(2);
        _layer.OnMessage(Incoming(WithSdp(Invite())));
        Assert.Equal([180], Codes);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([180, 200], Codes);
        Assert.Equal(_sender.Responses[0].To!.Tag, _sender.Responses[1].To!.Tag);
    }

    [Fact]
    public void Success_IsRetransmittedUntilTheAck()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite())));
        var ok = _sender.Responses.Last();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Equal(3, Codes.Count(c => c == 200));

        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-ack", method: "ACK", toTag: ok.To!.Tag)));
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(3, Codes.Count(c => c == 200));
    }

    [Fact]
    public void NoAck_EndsTheCallWithBye_After64T1()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite())));
        _time.Advance(TimeSpan.FromSeconds(32));

        var bye = Assert.Single(_sender.Requests, r => r.Method == "BYE");
        Assert.Equal("call-1", bye.CallId);
        Assert.Equal(0, _answerer.ActiveCalls);
    }

    [Fact]
    public void MaxCallDuration_SendsByeInTheDialog()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite())));
        var ok = _sender.Responses.Last();
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-ack", method: "ACK", toTag: ok.To!.Tag)));

        _time.Advance(TimeSpan.FromSeconds(10));

        var bye = Assert.Single(_sender.Requests, r => r.Method == "BYE");
        Assert.Equal(ok.To.Tag, bye.From!.Tag);
        Assert.Equal("ft1", bye.To!.Tag);
        Assert.Equal(0, _answerer.ActiveCalls);
    }

    [Fact]
    public void Bye_FromTheCaller_Gets200_AndFreesTheChannel()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite())));
        var tag = _sender.Responses.Last().To!.Tag;
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-ack", method: "ACK", toTag: tag)));

        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-bye", method: "BYE", toTag: tag, cseq: 2)));

        Assert.Equal(200, _sender.Responses.Last().StatusCode);
        Assert.Equal(0, _answerer.ActiveCalls);
    }

    [Fact]
    public void TheAnswersToByeAndOptions_AreRebuiltForTheirRetransmissions_ByteForByte_NotKept()
    {
        // issue 13: a completed BYE or OPTIONS keeps its key and To tag, not its 200 (Transactions/ResponseForm.cs)
        _layer.OnMessage(Incoming(WithSdp(Invite())));
        var tag = _sender.Responses.Last().To!.Tag;
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-ack", method: "ACK", toTag: tag)));
        var bye = Invite(branch: "z9hG4bK-bye", method: "BYE", toTag: tag, cseq: 2);
        var options = Invite(branch: "z9hG4bK-opt", callId: "options-1", method: "OPTIONS");
        _layer.OnMessage(Incoming(bye));
        var byeOk = _sender.Wire.Last();
        _layer.OnMessage(Incoming(options));
        var optionsOk = _sender.Wire.Last();
        Assert.Equal(2, _layer.CompletedResponseForms); // the BYE's 200 and the OPTIONS' 200 with our capabilities

        _time.Advance(TimeSpan.FromSeconds(30));
        _layer.OnMessage(Incoming(bye));
        Assert.Equal(byeOk, _sender.Wire.Last());
        _layer.OnMessage(Incoming(options));
        Assert.Equal(optionsOk, _sender.Wire.Last());
        Assert.Equal(2, _layer.RebuiltResponsesSent);
    }

    [Fact]
    public void SecondCall_BeyondTheChannels_Gets486()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite())));
        _layer.OnMessage(Incoming(WithSdp(Invite(branch: "z9hG4bK-2", callId: "call-2", fromTag: "ft2"))));

        Assert.Equal(486, _sender.Responses.Last().StatusCode);
        Assert.Equal(1, _answerer.GetStatistics().RejectedBusy);
    }

    [Fact]
    public void WithKnownProbers_StrangersHoldOnlyTheirShareOfTheChannels_AndAProbeIsNeverBusyBecauseOfThem()
    {
        // issue 13: under a stranger's flood of calls the prober's probes still find a channel. Two channels, the
        // default share 0.75: strangers may hold one.
        var prober = new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5062));
        var stranger = new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("203.0.113.66"), 5062));
        _layer.IsPriority = address => address.Equals(prober.EndPoint.Address);
        _options.Channels = 2;

        _layer.OnMessage(Incoming(WithSdp(Invite(branch: "z9hG4bK-s1", callId: "s1", fromTag: "s1")), stranger));
        _layer.OnMessage(Incoming(WithSdp(Invite(branch: "z9hG4bK-s2", callId: "s2", fromTag: "s2")), stranger));
        Assert.Equal([200, 486], Codes);

        _layer.OnMessage(Incoming(WithSdp(Invite(branch: "z9hG4bK-p1", callId: "p1", fromTag: "p1")), prober));
        Assert.Equal(200, Codes.Last());
        Assert.Equal(2, _answerer.ActiveCalls);

        // and with every channel taken, a probe is busy as FN-11 says
        _layer.OnMessage(Incoming(WithSdp(Invite(branch: "z9hG4bK-p2", callId: "p2", fromTag: "p2")), prober));
        Assert.Equal(486, Codes.Last());
    }

    [Fact]
    public void WithoutKnownProbers_EveryCallerMayTakeEveryChannel()
    {
        var stranger = new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("203.0.113.66"), 5062));
        _options.Channels = 2;

        _layer.OnMessage(Incoming(WithSdp(Invite(branch: "z9hG4bK-s1", callId: "s1", fromTag: "s1")), stranger));
        _layer.OnMessage(Incoming(WithSdp(Invite(branch: "z9hG4bK-s2", callId: "s2", fromTag: "s2")), stranger));

        Assert.Equal([200, 200], Codes);
    }

    [Fact]
    public void Cancel_WhileRinging_Gets200_AndTheInvite487()
    {
        _options.AnswerDelay = TimeSpan.FromSeconds(5);
        _layer.OnMessage(Incoming(WithSdp(Invite())));

        _layer.OnMessage(Incoming(Invite(method: "CANCEL")));

        Assert.Contains(_sender.Responses, r => r.StatusCode == 200 && r.CSeq!.Value.Method == "CANCEL");
        Assert.Contains(_sender.Responses, r => r.StatusCode == 487 && r.CSeq!.Value.Method == "INVITE");
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(_sender.Responses, r => r.StatusCode == 200 && r.CSeq!.Value.Method == "INVITE");
        Assert.Equal(0, _answerer.ActiveCalls);
    }

    [Theory]
    [InlineData("0399999999", null, 404)]
    [InlineData("0312345678", "Require: x-frobnicate", 420)]
    [InlineData("0312345678", "Max-Forwards: 0", 483)]
    public void Invite_ThatCannotBeAnswered_GetsTheRightStatus(string user, string? extra, int expected)
    {
        var text = WithSdp(Invite(user: user));
        if (extra is not null)
        {
            text = extra.StartsWith("Max-Forwards", StringComparison.Ordinal)
                ? text.Replace("Max-Forwards: 70", extra)
                : text.Replace("Max-Forwards: 70", "Max-Forwards: 70\n" + extra);
        }

        _layer.OnMessage(Incoming(text));

        var response = _sender.Responses.Last();
        Assert.Equal(expected, response.StatusCode);
        if (expected == 420)
        {
            Assert.Equal("x-frobnicate", response.Headers[HeaderNames.Unsupported]);
        }
    }

    [Fact]
    public void UnknownScheme_Gets416()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite()).Replace("INVITE sip:0312345678@127.0.0.1", "INVITE foo:0312345678")));

        Assert.Equal(416, _sender.Responses.Last().StatusCode);
    }

    [Fact]
    public void NonSdpBody_Gets415WithAccept()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite()).Replace("application/sdp", "text/plain")));

        var response = _sender.Responses.Last();
        Assert.Equal(415, response.StatusCode);
        Assert.Equal("application/sdp", response.Headers[HeaderNames.Accept]);
    }

    [Fact]
    public void SdpWithoutG711_Gets488()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite()).Replace("RTP/AVP 0 8 101", "RTP/AVP 9 9 101")));

        Assert.Equal(488, _sender.Responses.Last().StatusCode);
        Assert.Equal(0, _answerer.ActiveCalls);
    }

    [Fact]
    public void InviteWithoutSdp_Gets200WithAnOffer()
    {
        _layer.OnMessage(Incoming(Invite()));

        var ok = _sender.Responses.Last();
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("RTP/AVP 0 8", System.Text.Encoding.UTF8.GetString(ok.Body.Span));
    }

    [Fact]
    public void UnknownMethod_Gets405WithAllow()
    {
        _layer.OnMessage(Incoming(Invite(method: "SUBSCRIBE")));

        var response = _sender.Responses.Last();
        Assert.Equal(405, response.StatusCode);
        Assert.Equal(ProbeAnswerer.AllowedMethods, response.Headers[HeaderNames.Allow]);
    }

    [Fact]
    public void Options_Gets200WithCapabilities()
    {
        _layer.OnMessage(Incoming(Invite(method: "OPTIONS")));

        var response = _sender.Responses.Last();
        Assert.Equal(200, response.StatusCode);
        Assert.NotNull(response.Headers[HeaderNames.Allow]);
        Assert.NotNull(response.Headers[HeaderNames.Accept]);
        Assert.NotNull(response.Headers[HeaderNames.Supported]);
    }

    [Fact]
    public void ByeOutsideADialog_Gets481()
    {
        _layer.OnMessage(Incoming(Invite(method: "BYE", toTag: "nope")));

        Assert.Equal(481, _sender.Responses.Last().StatusCode);
    }

    [Fact]
    public void ReInvite_IsAnsweredInTheSameDialog()
    {
        _layer.OnMessage(Incoming(WithSdp(Invite())));
        var tag = _sender.Responses.Last().To!.Tag;
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-ack", method: "ACK", toTag: tag)));

        _layer.OnMessage(Incoming(WithSdp(Invite(branch: "z9hG4bK-re", toTag: tag, cseq: 2))));

        var ok = _sender.Responses.Last();
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(2, ok.CSeq!.Value.Number);
        Assert.Equal(tag, ok.To!.Tag);
        Assert.Equal(1, _answerer.ActiveCalls);
    }
}
