using System.Net;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Tests.Support;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static GatewayAgent.Sip.Tests.Support.TestMessages;

namespace GatewayAgent.Sip.Tests.Security;

[Trait("Ring", "unit")]
public sealed class SourceGuardTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();
    private readonly List<IncomingMessage> _passed = [];

    private sealed class Sink(List<IncomingMessage> list) : ISipMessageHandler
    {
        public void OnMessage(IncomingMessage message) => list.Add(message);
    }

    private SourceGuard Guard(SourceGuardOptions options) =>
        new(new Sink(_passed), _sender, options, _time, NullLogger<SourceGuard>.Instance);

    private static SipTarget From(string ip) => new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse(ip), 5062));

    [Fact]
    public void AllowedSource_PassesThrough()
    {
        var guard = Guard(new SourceGuardOptions { AllowedSources = ["192.0.2.0/24"] });
        guard.OnMessage(Incoming(Invite(), From("192.0.2.10")));

        Assert.Single(_passed);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public void OtherSource_Gets403_InRejectMode()
    {
        var guard = Guard(new SourceGuardOptions { AllowedSources = ["198.51.100.7"] });
        guard.OnMessage(Incoming(Invite(), From("192.0.2.10")));

        Assert.Empty(_passed);
        Assert.Equal(403, Assert.Single(_sender.Responses).StatusCode);
        Assert.Equal(1, guard.Forbidden);
    }

    [Fact]
    public void OtherSource_IsDropped_InDropMode()
    {
        var guard = Guard(new SourceGuardOptions { AllowedSources = ["2001:db8::/32"], RejectMode = SourceRejectMode.Drop });
        guard.OnMessage(Incoming(Invite(), From("192.0.2.10")));

        Assert.Empty(_passed);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public void DropMode_RefusesAStrangersRequest_BeforeParsing_ButNotAResponse_NorInRejectMode()
    {
        // Issue 12 item 2: in Drop mode a stranger gets no answer, so its request is refused on its first bytes, not
        // after a parse of up to 64 KB. A response can only match our own client transaction (a registrar outside the
        // list), and Reject mode must parse to answer 403.
        var request = System.Text.Encoding.ASCII.GetBytes(Invite());
        var response = "SIP/2.0 200 OK\r\n"u8.ToArray();
        var stranger = IPAddress.Parse("192.0.2.10");
        var drop = Guard(new SourceGuardOptions { AllowedSources = ["198.51.100.7"], RejectMode = SourceRejectMode.Drop });
        ISipSourceAdmission admission = drop;

        Assert.False(admission.TryAdmit(stranger, request));
        Assert.Equal(1, drop.Forbidden);
        Assert.True(admission.TryAdmit(stranger, response));
        Assert.True(admission.TryAdmit(IPAddress.Parse("198.51.100.7"), request));
        ISipSourceAdmission reject = Guard(new SourceGuardOptions { AllowedSources = ["198.51.100.7"] });
        Assert.True(reject.TryAdmit(stranger, request));
    }

    [Fact]
    public void KnownProbers_AreTheProberSources_ElseTheAllowList_ElseNoOne()
    {
        ISipSourceAdmission probers = Guard(new SourceGuardOptions { ProberSources = ["192.0.2.1"], AllowedSources = ["192.0.2.0/24"] });
        ISipSourceAdmission allowList = Guard(new SourceGuardOptions { AllowedSources = ["192.0.2.0/24"] });
        ISipSourceAdmission open = Guard(new SourceGuardOptions());

        Assert.True(probers.IsPriority(IPAddress.Parse("192.0.2.1")));
        Assert.False(probers.IsPriority(IPAddress.Parse("192.0.2.2")));
        Assert.True(allowList.IsPriority(IPAddress.Parse("192.0.2.2")));
        Assert.False(open.IsPriority(IPAddress.Parse("192.0.2.2")));
    }

    [Fact]
    public void EmptyList_AllowsAnySource()
    {
        Guard(new SourceGuardOptions()).OnMessage(Incoming(Invite(), From("203.0.113.5")));

        Assert.Single(_passed);
    }

    [Fact]
    public void RateLimit_DropsBeyondTheBurst_AndRefillsWithTime()
    {
        var guard = Guard(new SourceGuardOptions { RateLimitPerSecond = 10, RateLimitBurst = 5 });
        var source = IPAddress.Parse("192.0.2.10");
        var admitted = Enumerable.Range(0, 8).Count(_ => guard.TryAdmit(source));

        Assert.Equal(5, admitted);
        Assert.Equal(3, guard.RateLimited);

        // Another source has its own bucket.
        Assert.True(guard.TryAdmit(IPAddress.Parse("192.0.2.11")));

        // 200 ms at 10/s refills two tokens.
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(2, Enumerable.Range(0, 3).Count(_ => guard.TryAdmit(source)));
    }

    [Fact]
    public void RateLimitZero_AdmitsEverything()
    {
        var guard = Guard(new SourceGuardOptions { RateLimitPerSecond = 0 });

        Assert.True(Enumerable.Range(0, 10_000).All(_ => guard.TryAdmit(IPAddress.Loopback)));
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("192.0.2.1", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db8::/129", false)]
    [InlineData("nonsense", false)]
    public void TryParseNetwork_AcceptsAddressesAndCidrBlocks(string text, bool valid) =>
        Assert.Equal(valid, SourceGuard.TryParseNetwork(text, out _));
}
