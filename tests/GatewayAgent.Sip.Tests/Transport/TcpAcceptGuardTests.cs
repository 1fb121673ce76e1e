using System.Net;
using System.Net.Sockets;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Tests.Support;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>
/// The TCP listener on the WAN (docs/security.md, issue 12 item 3), with real sockets on loopback (127.0.0.0/8 gives
/// the test several source addresses): the allow-list applied at accept, the per-source and total caps, and the
/// first-message timeout.
/// </summary>
[Trait("Ring", "integration")]
public sealed class TcpAcceptGuardTests
{
    private const string TcpVia = "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-guard;rport";
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress Prober = IPAddress.Loopback;

    [Fact]
    public async Task RefusedSource_IsClosedAtAccept_NothingRead_WhileAnAllowedSourceIsHeard()
    {
        var handler = new RecordingHandler();
        var guard = new SourceGuard(handler, new RecordingSender(), new SourceGuardOptions { AllowedSources = ["127.0.0.1/32"], RejectMode = SourceRejectMode.Drop },
            TimeProvider.System, NullLogger<SourceGuard>.Instance);
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:0.0.0.0:0"], admission: guard);
        var server = new IPEndPoint(IPAddress.Loopback, layer.Bound(SipTransportKind.Tcp).Port);

        using var refused = await ConnectAsync(server, Stranger);
        var refusedStream = refused.GetStream();
        try
        {
            await refusedStream.WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "stranger"));
        }
        catch (IOException)
        {
            // Already reset: the write may fail, which is the point.
        }

        await refusedStream.AssertClosedByPeerAsync();
        using var allowed = await ConnectAsync(server, Prober);
        await allowed.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "prober"));

        Assert.Equal("prober", (await handler.NextAsync()).Message!.CallId); // the stranger's request was never read
        Assert.Equal(1, guard.Forbidden);
        Assert.Equal(1, layer.Statistics.TcpConnectionsAccepted);
    }

    [Fact]
    public async Task ConnectionsFromOneSource_BeyondItsCap_AreClosed_OtherSourcesStillConnect()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:0.0.0.0:0"], new SipTransportOptions { MaxTcpConnectionsPerSource = 2 });
        var server = new IPEndPoint(IPAddress.Loopback, layer.Bound(SipTransportKind.Tcp).Port);
        using var first = await ConnectAsync(server, Stranger);
        using var second = await ConnectAsync(server, Stranger);
        await first.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "first"));
        await second.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "second"));
        await handler.NextAsync();
        await handler.NextAsync();

        using var third = await ConnectAsync(server, Stranger);
        await third.GetStream().AssertClosedByPeerAsync();
        using var prober = await ConnectAsync(server, Prober);
        await prober.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "prober"));

        Assert.Equal("prober", (await handler.NextAsync()).Message!.CallId);
        Assert.Equal(1, layer.Statistics.TcpConnectionsRejected);
        Assert.Equal(3, layer.Statistics.TcpConnectionsOpen);
    }

    [Fact]
    public async Task ClosedConnection_GivesItsSourceSlotBack()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:0.0.0.0:0"], new SipTransportOptions { MaxTcpConnectionsPerSource = 1 });
        var server = new IPEndPoint(IPAddress.Loopback, layer.Bound(SipTransportKind.Tcp).Port);
        var first = await ConnectAsync(server, Stranger);
        await first.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "first"));
        await handler.NextAsync();
        first.Dispose();
        await Wait.PollAsync(() => Task.FromResult(layer.Statistics.TcpConnectionsOpen), n => n == 0, TestLayers.Timeout, "the first connection to close");

        using var again = await ConnectAsync(server, Stranger);
        await again.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "again"));

        Assert.Equal("again", (await handler.NextAsync()).Message!.CallId);
    }

    [Fact]
    public async Task Connection_WithoutACompleteFirstMessage_IsClosedAfterTheTimeout_OneThatSentOneStays()
    {
        var time = new FakeTimeProvider();
        var handler = new RecordingHandler();
        var options = new SipTransportOptions { TcpFirstMessageTimeout = TimeSpan.FromSeconds(5) };
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"], options, time);
        var server = layer.Bound(SipTransportKind.Tcp);
        using var talker = await ConnectAsync(server, Prober);
        await talker.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "talker"));
        await handler.NextAsync();
        using var idler = await ConnectAsync(server, Prober);
        var partial = TestMessages.OptionsRequestBytes(TcpVia, "never-finished");
        await idler.GetStream().WriteAsync(partial.AsMemory(0, partial.Length / 2)); // half a message does not count
        await Wait.PollAsync(() => Task.FromResult(layer.Statistics.TcpConnectionsAccepted), n => n == 2, TestLayers.Timeout, "the idler to be accepted");

        time.Advance(TimeSpan.FromSeconds(4.9));
        var openBefore = layer.Statistics.TcpConnectionsOpen;
        time.Advance(TimeSpan.FromSeconds(0.1));

        await idler.GetStream().AssertClosedByPeerAsync();
        Assert.Equal(2, openBefore);
        Assert.Equal(1, layer.Statistics.TcpConnectionsOpen);
        await talker.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "talker-again"));
        Assert.Equal("talker-again", (await handler.NextAsync()).Message!.CallId);
    }

    private static async Task<TcpClient> ConnectAsync(IPEndPoint server, IPAddress from)
    {
        var client = new TcpClient(new IPEndPoint(from, 0)) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TestLayers.Timeout);
        await client.ConnectAsync(server, timeout.Token);
        return client;
    }
}
