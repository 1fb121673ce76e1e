using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.Tests.Support;

namespace GatewayAgent.Sip.Tests.Transport;

[Trait("Ring", "integration")]
public sealed class SipTransportLayerUdpTests
{
    [Fact]
    public async Task Request_ReachesTheHandler_WithReceivedAndRportStamped()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"]);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var peerEndPoint = (IPEndPoint)peer.LocalEndPoint!;

        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK776asdhds"), layer.Bound(SipTransportKind.Udp));
        var incoming = await handler.NextAsync();

        Assert.Equal(SipParseStatus.Valid, incoming.Parse.Status);
        Assert.Equal(new SipTarget(SipTransportKind.Udp, peerEndPoint), incoming.Source);
        Assert.Equal(layer.Bound(SipTransportKind.Udp), incoming.LocalEndPoint);
        Assert.Equal(
            $"SIP/2.0/UDP 192.0.2.1:5060;rport={peerEndPoint.Port};branch=z9hG4bK776asdhds;received=127.0.0.1",
            incoming.Message!.Headers[HeaderNames.Via]);
        Assert.Equal(1, layer.Statistics.MessagesReceived);
    }

    [Fact]
    public async Task Response_RoutedByRport_ReachesThePeerPort()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"]);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var peerEndPoint = (IPEndPoint)peer.LocalEndPoint!;

        // The sent-by names a port nobody listens on: only rport gets the response back through a NAT.
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKnashds8;rport"), layer.Bound(SipTransportKind.Udp));
        var request = await handler.NextAsync();
        var target = ResponseRouting.GetResponseTarget(request);
        await layer.SendAsync(TestLayers.OkTo(request.Message!), target);
        var (response, from) = await peer.ReceiveAsync();

        Assert.Equal(new SipTarget(SipTransportKind.Udp, peerEndPoint), target);
        Assert.Equal(200, ((SipResponse)response).StatusCode);
        Assert.Equal(peerEndPoint.Port, response.TopVia!.Rport);
        Assert.Equal(layer.Bound(SipTransportKind.Udp), from);
        Assert.Equal(1, layer.Statistics.MessagesSent);
    }

    [Fact]
    public async Task OversizedDatagram_IsDroppedLoggedAndCounted_AndTheNextMessageArrives()
    {
        var handler = new RecordingHandler();
        var logs = new LogCapture();
        var logger = logs.CreateLogger<SipTransportLayer>();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"], new SipTransportOptions { MaxMessageSize = 2048, UdpQueueMaxDelay = TimeSpan.Zero }, logger: logger);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var server = layer.Bound(SipTransportKind.Udp);

        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKbig", "too-big", new string('x', 3000)), server);
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKsmall", "small"), server);
        var incoming = await handler.NextAsync();

        Assert.Equal("small", incoming.Message!.CallId);
        Assert.Equal(1, layer.Statistics.OversizedDropped);
        Assert.Equal(1, layer.Statistics.MessagesReceived);
        Assert.True(logs.Has(1002), "the drop was not logged");
    }

    [Fact]
    public async Task DatagramOfExactlyTheLimit_IsAccepted()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"], new SipTransportOptions { MaxMessageSize = 2048, UdpQueueMaxDelay = TimeSpan.Zero });
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var padding = 2048 - TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1", body: "").Length - 3;
        var datagram = TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1", body: new string('x', padding));
        Assert.Equal(2048, datagram.Length);

        await peer.SendToAsync(datagram, layer.Bound(SipTransportKind.Udp));
        var incoming = await handler.NextAsync();

        Assert.Equal(padding, incoming.Message!.Body.Length);
        Assert.Equal(0, layer.Statistics.OversizedDropped);
    }

    [Fact]
    public async Task GarbageDatagrams_AreCountedAsUnparseable_AndNotHandedUp()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"]);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var server = layer.Bound(SipTransportKind.Udp);

        await peer.SendToAsync("GET / HTTP/1.1 this is not sip"u8.ToArray(), server);
        await peer.SendToAsync(new byte[] { 0xff, 0xfe, 0x00, 0x13, 0x37 }, server);
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKok", "after-garbage"), server);
        var incoming = await handler.NextAsync();

        Assert.Equal("after-garbage", incoming.Message!.CallId);
        Assert.Equal(2, layer.Statistics.UnparseableDropped);
        Assert.Equal(3, layer.Statistics.MessagesReceived);
    }

    [Fact]
    public async Task InvalidRequest_IsHandedUpForTheUasToAnswer()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"]);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var noCallId = TestMessages.OptionsRequest("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKbad;rport").Replace("Call-ID: a84b4c76e66710\r\n", "", StringComparison.Ordinal);

        await peer.SendToAsync(Encoding.UTF8.GetBytes(noCallId), layer.Bound(SipTransportKind.Udp));
        var incoming = await handler.NextAsync();

        Assert.Equal(SipParseStatus.Invalid, incoming.Parse.Status);
        Assert.Equal(400, incoming.Parse.ResponseCode);
        Assert.Equal("127.0.0.1", incoming.Message!.TopVia!.Received);
        Assert.Equal(0, layer.Statistics.UnparseableDropped);
    }

    [Fact]
    public async Task Response_NotViaUs_IsStillHandedUp()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"]);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var request = SipParser.Parse(TestMessages.OptionsRequest("SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bKother")).Message!;

        await peer.SendToAsync(TestLayers.OkTo(request).ToBytes(), layer.Bound(SipTransportKind.Udp));
        var incoming = await handler.NextAsync();

        var response = Assert.IsType<SipResponse>(incoming.Message);
        Assert.Equal("SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bKother", response.Headers[HeaderNames.Via]);
    }

    [Fact]
    public async Task HandlerException_IsCaught_AndTheReceiveLoopGoesOn()
    {
        var handler = new RecordingHandler
        {
            After = m => throw new InvalidOperationException("handler bug for " + m.Message!.CallId),
        };
        var logs = new LogCapture();
        var logger = logs.CreateLogger<SipTransportLayer>();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"], logger: logger);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var server = layer.Bound(SipTransportKind.Udp);

        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1", "first"), server);
        await handler.NextAsync();
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK2", "second"), server);
        var second = await handler.NextAsync();

        Assert.Equal("second", second.Message!.CallId);
        Assert.True(logs.Has(1004), "the handler failure was not logged");
    }

    [Fact]
    public async Task CrlfKeepAlive_IsCounted_AndNeitherHandedUpNorUnparseable()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"]);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var server = layer.Bound(SipTransportKind.Udp);

        await peer.SendToAsync("\r\n\r\n"u8.ToArray(), server);
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1", "real"), server);
        var incoming = await handler.NextAsync();

        Assert.Equal("real", incoming.Message!.CallId);
        Assert.Equal(1, layer.Statistics.KeepAlivesReceived);
        Assert.Equal(0, layer.Statistics.UnparseableDropped);
    }

    // Linux reports no ICMP errors to an unconnected UDP socket, so here this shows only that a send to a dead
    // peer succeeds and receiving goes on. Windows reports them (ConnectionReset on a later receive); the receive
    // loop logs such errors and continues.
    [Fact]
    public async Task SendToAClosedPort_Succeeds_AndReceivingGoesOn()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"]);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        int closedPort;
        using (var gone = TestLayers.UdpPeer(IPAddress.Loopback))
        {
            closedPort = ((IPEndPoint)gone.LocalEndPoint!).Port;
        }

        var request = SipParser.Parse(TestMessages.OptionsRequest("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1")).Message!;
        await layer.SendAsync(request, new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, closedPort)));
        await layer.SendAsync(request, new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, closedPort)));
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK2", "still-alive"), layer.Bound(SipTransportKind.Udp));

        Assert.Equal("still-alive", (await handler.NextAsync()).Message!.CallId);
    }

    [IPv6LoopbackFact]
    public async Task IPv6Request_IsStamped_AndTheResponseComesBack()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:[::1]:0"]);
        using var peer = TestLayers.UdpPeer(IPAddress.IPv6Loopback);
        var peerEndPoint = (IPEndPoint)peer.LocalEndPoint!;

        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK6;rport"), layer.Bound(SipTransportKind.Udp, AddressFamily.InterNetworkV6));
        var request = await handler.NextAsync();
        await layer.SendAsync(TestLayers.OkTo(request.Message!), ResponseRouting.GetResponseTarget(request));
        var (response, _) = await peer.ReceiveAsync();

        Assert.Equal("::1", request.Message!.TopVia!.Received);
        Assert.Equal(peerEndPoint.Port, request.Message.TopVia.Rport);
        Assert.Equal(200, ((SipResponse)response).StatusCode);
    }

    [IPv6LoopbackFact]
    public async Task IPv4AndIPv6Wildcards_CanShareAPort()
    {
        var handler = new RecordingHandler();
        await using var v4 = await TestLayers.StartAsync(handler, ["udp:0.0.0.0:0"]);
        var port = v4.Bound(SipTransportKind.Udp).Port;

        await using var v6 = await TestLayers.StartAsync(handler, [$"udp:[::]:{port}"]);
        using var peer = TestLayers.UdpPeer(IPAddress.IPv6Loopback);
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP [::1];branch=z9hG4bK1", "over-v6"), new IPEndPoint(IPAddress.IPv6Loopback, port));

        Assert.Equal("over-v6", (await handler.NextAsync()).Message!.CallId);
        Assert.Equal(0, v4.Statistics.MessagesReceived);
    }
}
