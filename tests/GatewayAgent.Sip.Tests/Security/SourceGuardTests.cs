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
