using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Sip.Tests.Transport;

[Trait("Ring", "integration")]
public sealed class SipTransportLayerTcpTests
{
    private const string TcpVia = "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK74b43;rport";

    [Fact]
    public async Task TwoMessagesInOneWrite_AreBothFramed_AndStamped()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"]);
        using var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp));
        var clientEndPoint = (IPEndPoint)client.Client.LocalEndPoint!;

        var both = Encoding.UTF8.GetBytes(TestMessages.OptionsRequest(TcpVia, "one", body: "first body") + TestMessages.OptionsRequest(TcpVia, "two"));
        await client.GetStream().WriteAsync(both);
        var first = await handler.NextAsync();
        var second = await handler.NextAsync();

        Assert.Equal(("one", "two"), (first.Message!.CallId, second.Message!.CallId));
        Assert.Equal("first body", Encoding.UTF8.GetString(first.Message.Body.Span));
        Assert.Equal(new SipTarget(SipTransportKind.Tcp, clientEndPoint), first.Source);
        Assert.Equal("127.0.0.1", first.Message.TopVia!.Received);
        Assert.Equal(clientEndPoint.Port, first.Message.TopVia.Rport);
        Assert.Equal(1, layer.Statistics.TcpConnectionsAccepted);
        Assert.Equal(1, layer.Statistics.TcpConnectionsOpen);
    }

    [Fact]
    public async Task OneMessageSplitOverManyWrites_IsFramed()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"]);
        using var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp));
        var stream = client.GetStream();
        var message = TestMessages.OptionsRequestBytes(TcpVia, "split", body: "a body\r\n\r\nwith a blank line");

        for (var i = 0; i < message.Length; i += 7)
        {
            await stream.WriteAsync(message.AsMemory(i, Math.Min(7, message.Length - i)));
            await stream.FlushAsync();
        }

        var incoming = await handler.NextAsync();

        Assert.Equal("split", incoming.Message!.CallId);
        Assert.Equal("a body\r\n\r\nwith a blank line", Encoding.UTF8.GetString(incoming.Message.Body.Span));
        Assert.False(handler.TryTake(out _));
    }

    [Fact]
    public async Task Response_ToThePeerEndPoint_GoesBackOverTheSameConnection()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"]);
        using var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp));
        var stream = client.GetStream();

        await stream.WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "answer-me"));
        var request = await handler.NextAsync();
        var target = ResponseRouting.GetResponseTarget(request);
        await layer.SendAsync(TestLayers.OkTo(request.Message!), target);
        var response = await stream.ReadMessageAsync(new SipStreamFramer(65535), new Queue<byte[]>());

        Assert.Equal(request.Source, target);
        Assert.Equal(200, ((SipResponse)response).StatusCode);
        Assert.Equal("answer-me", response.CallId);
        Assert.Equal(0, layer.Statistics.TcpConnectionsOpened);
        Assert.Equal(1, layer.Statistics.TcpConnectionsOpen);
    }

    [Fact]
    public async Task Send_ToATcpListener_OpensAConnection_AndTheResponseComesBackOverIt()
    {
        var clientHandler = new RecordingHandler();
        var serverHandler = new RecordingHandler();
        await using var clientLayer = await TestLayers.StartAsync(clientHandler, ["tcp:127.0.0.1:0"]);
        await using var serverLayer = await TestLayers.StartAsync(serverHandler, ["tcp:127.0.0.1:0"]);
        var server = new SipTarget(SipTransportKind.Tcp, serverLayer.Bound(SipTransportKind.Tcp));
        var local = clientLayer.GetLocalEndPoint(server);
        var request = SipParser.Parse(TestMessages.OptionsRequest($"SIP/2.0/TCP {local};branch=z9hG4bKout")).Message!;

        await clientLayer.SendAsync(request, server);
        var received = await serverHandler.NextAsync();
        await serverLayer.SendAsync(TestLayers.OkTo(received.Message!), ResponseRouting.GetResponseTarget(received));
        var response = await clientHandler.NextAsync();
        await clientLayer.SendAsync(request, server);
        await serverHandler.NextAsync();

        Assert.Equal(200, Assert.IsType<SipResponse>(response.Message).StatusCode);
        Assert.Equal(server, response.Source);
        Assert.Equal(1, clientLayer.Statistics.TcpConnectionsOpened);
        Assert.Equal(1, serverLayer.Statistics.TcpConnectionsAccepted);
        Assert.Equal(0, serverLayer.Statistics.TcpConnectionsOpened);
        Assert.Equal(2, clientLayer.Statistics.MessagesSent);
    }

    [Fact]
    public async Task ConcurrentSends_ToOnePeer_ShareOneConnection()
    {
        var serverHandler = new RecordingHandler();
        await using var clientLayer = await TestLayers.StartAsync(new RecordingHandler(), ["tcp:127.0.0.1:0"]);
        await using var serverLayer = await TestLayers.StartAsync(serverHandler, ["tcp:127.0.0.1:0"]);
        var server = new SipTarget(SipTransportKind.Tcp, serverLayer.Bound(SipTransportKind.Tcp));

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            clientLayer.SendAsync(SipParser.Parse(TestMessages.OptionsRequest("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK" + i, "c" + i)).Message!, server).AsTask()));
        var callIds = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            callIds.Add((await serverHandler.NextAsync()).Message!.CallId!);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => "c" + i).Order(), callIds.Order());
        Assert.Equal(1, clientLayer.Statistics.TcpConnectionsOpened);
        Assert.Equal(1, serverLayer.Statistics.TcpConnectionsAccepted);
    }

    [Fact]
    public async Task Send_ToAPortNobodyListensOn_ThrowsSipTransportException()
    {
        await using var layer = await TestLayers.StartAsync(new RecordingHandler(), ["tcp:127.0.0.1:0"]);
        var nowhere = new SipTarget(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, FreePort.Next()));
        var request = SipParser.Parse(TestMessages.OptionsRequest("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK1")).Message!;

        var ex = await Assert.ThrowsAsync<SipTransportException>(() => layer.SendAsync(request, nowhere).AsTask());

        Assert.Contains("ConnectionRefused", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, layer.Statistics.SendErrors);
        Assert.Equal(0, layer.Statistics.TcpConnectionsOpen);
    }

    [Fact]
    public async Task DoubleCrlfPing_IsAnsweredWithASingleCrlfPong()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"]);
        using var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp));
        var stream = client.GetStream();

        await stream.WriteAsync("\r\n\r\n"u8.ToArray());
        var pong = new byte[2];
        using var timeout = new CancellationTokenSource(TestLayers.Timeout);
        await stream.ReadExactlyAsync(pong, timeout.Token);
        await stream.WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "after-ping"));

        Assert.Equal("\r\n"u8.ToArray(), pong);
        Assert.Equal("after-ping", (await handler.NextAsync()).Message!.CallId);
        Assert.Equal(1, layer.Statistics.KeepAlivesReceived);
    }

    [Fact]
    public async Task FramingError_ClosesTheConnection_AfterHandingUpWhatCameBefore()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"]);
        using var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp));
        var stream = client.GetStream();
        var bad = TestMessages.OptionsRequest(TcpVia, "bad").Replace("Content-Length: 0", "Content-Length: lots", StringComparison.Ordinal);

        await stream.WriteAsync(Encoding.UTF8.GetBytes(TestMessages.OptionsRequest(TcpVia, "good") + bad));
        var good = await handler.NextAsync();
        await stream.AssertClosedByPeerAsync();

        Assert.Equal("good", good.Message!.CallId);
        Assert.Equal(1, layer.Statistics.FramingErrors);
        Assert.False(handler.TryTake(out _));
    }

    [Fact]
    public async Task OversizedStreamMessage_ClosesTheConnection()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"], new SipTransportOptions { MaxMessageSize = 2048 });
        using var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp));
        var stream = client.GetStream();

        await stream.WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "huge", new string('x', 4000)));
        await stream.AssertClosedByPeerAsync();

        Assert.Equal(1, layer.Statistics.FramingErrors);
        Assert.False(handler.TryTake(out _));
    }

    [Fact]
    public async Task IdleConnection_IsClosedAfterTheIdleTimeout_AndTrafficResetsTheClock()
    {
        var time = new FakeTimeProvider();
        var handler = new RecordingHandler();
        var options = new SipTransportOptions { TcpIdleTimeout = TimeSpan.FromMinutes(5) };
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"], options, time);
        using var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp));
        var stream = client.GetStream();
        await stream.WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "hello"));
        await handler.NextAsync();

        time.Advance(TimeSpan.FromMinutes(4));
        await stream.WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "still-here"));
        await handler.NextAsync();
        time.Advance(TimeSpan.FromMinutes(4));
        var openAfterEightMinutesWithTraffic = layer.Statistics.TcpConnectionsOpen;
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, openAfterEightMinutesWithTraffic);
        Assert.Equal(0, layer.Statistics.TcpConnectionsOpen);
        await stream.AssertClosedByPeerAsync();
    }

    [Fact]
    public async Task ConnectionsBeyondTheLimit_AreRefused()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"], new SipTransportOptions { MaxTcpConnections = 1 });
        var server = layer.Bound(SipTransportKind.Tcp);
        using var first = await ConnectAsync(server);
        await first.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "first"));
        await handler.NextAsync();

        using var second = await ConnectAsync(server);
        await second.GetStream().AssertClosedByPeerAsync();
        await first.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "first-again"));

        Assert.Equal("first-again", (await handler.NextAsync()).Message!.CallId);
        Assert.Equal(1, layer.Statistics.TcpConnectionsRejected);
        Assert.Equal(1, layer.Statistics.TcpConnectionsOpen);
    }

    [Fact]
    public async Task Response_AfterThePeerClosed_FailsWithSipTransportException()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:127.0.0.1:0"]);
        var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp));
        await client.GetStream().WriteAsync(TestMessages.OptionsRequestBytes(TcpVia, "bye"));
        var request = await handler.NextAsync();

        client.Dispose();

        // The response cannot reuse the closed connection; a new connect to the peer's ephemeral port is refused.
        var target = ResponseRouting.GetResponseTarget(request);
        await Assert.ThrowsAsync<SipTransportException>(async () =>
        {
            // The read loop may not have seen the FIN yet: the first send can still go out before the reset.
            for (var i = 0; i < 50; i++)
            {
                await layer.SendAsync(TestLayers.OkTo(request.Message!), target);
                await Task.Yield();
            }
        });
    }

    [IPv6LoopbackFact]
    public async Task IPv6Connection_IsFramed_AndAnsweredOverTheSameConnection()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["tcp:[::1]:0"]);
        using var client = await ConnectAsync(layer.Bound(SipTransportKind.Tcp, AddressFamily.InterNetworkV6));
        var stream = client.GetStream();

        await stream.WriteAsync(TestMessages.OptionsRequestBytes("SIP/2.0/TCP [2001:db8::1];branch=z9hG4bK6;rport", "v6"));
        var request = await handler.NextAsync();
        await layer.SendAsync(TestLayers.OkTo(request.Message!), ResponseRouting.GetResponseTarget(request));
        var response = await stream.ReadMessageAsync(new SipStreamFramer(65535), new Queue<byte[]>());

        Assert.Equal("::1", request.Message!.TopVia!.Received);
        Assert.Equal("v6", response.CallId);
    }

    private static async Task<TcpClient> ConnectAsync(IPEndPoint server)
    {
        var client = new TcpClient(server.AddressFamily) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TestLayers.Timeout);
        await client.ConnectAsync(server, timeout.Token);
        return client;
    }
}
