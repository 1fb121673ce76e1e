using System.Net;
using System.Net.Sockets;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Tests.Transport;

[Trait("Ring", "integration")]
public sealed class SipTransportLayerTests
{
    [Fact]
    public async Task StartAsync_PortZero_ReportsTheBoundPorts()
    {
        await using var layer = await TestLayers.StartAsync(new RecordingHandler(), ["udp:127.0.0.1:0", "tcp:127.0.0.1:0"]);

        Assert.True(layer.IsRunning);
        Assert.Equal([SipTransportKind.Udp, SipTransportKind.Tcp], layer.LocalEndPoints.Select(a => a.Transport));
        Assert.All(layer.LocalEndPoints, a => Assert.NotEqual(0, a.EndPoint.Port));
        Assert.All(layer.LocalEndPoints, a => Assert.Equal(IPAddress.Loopback, a.EndPoint.Address));
    }

    [Fact]
    public async Task StartAsync_AddressInUse_ThrowsAndLeavesNothingBound()
    {
        using var squatter = TestLayers.UdpPeer(IPAddress.Loopback);
        var taken = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        var layer = new SipTransportLayer(Options.Create(new SipTransportOptions()), TimeProvider.System, NullLogger<SipTransportLayer>.Instance);
        var tcpPort = FreePort.Next();

        var ex = await Assert.ThrowsAsync<SipTransportException>(() => layer.StartAsync(
            [SipListenAddress.Parse($"tcp:127.0.0.1:{tcpPort}"), SipListenAddress.Parse($"udp:127.0.0.1:{taken}")],
            new RecordingHandler(),
            CancellationToken.None));

        Assert.Contains($"udp:127.0.0.1:{taken}", ex.Message, StringComparison.Ordinal);
        Assert.False(layer.IsRunning);
        Assert.Empty(layer.LocalEndPoints);
        using var rebind = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        rebind.Bind(new IPEndPoint(IPAddress.Loopback, tcpPort));
    }

    [Fact]
    public async Task StartAsync_WhileRunning_Throws()
    {
        await using var layer = await TestLayers.StartAsync(new RecordingHandler(), ["udp:127.0.0.1:0"]);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            layer.StartAsync([SipListenAddress.Parse("udp:127.0.0.1:0")], new RecordingHandler(), CancellationToken.None));
    }

    [Fact]
    public async Task StopAsync_ReleasesThePorts_AndTheLayerCanStartAgain()
    {
        var handler = new RecordingHandler();
        var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0", "tcp:127.0.0.1:0"]);
        var addresses = layer.LocalEndPoints.ToList();
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(layer.Bound(SipTransportKind.Tcp));

        await layer.StopAsync();
        Assert.False(layer.IsRunning);
        Assert.Equal(0, layer.Statistics.TcpConnectionsOpen);

        await layer.StartAsync(addresses, handler, CancellationToken.None);
        Assert.Equal(addresses, layer.LocalEndPoints);
        await layer.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_NotRunning_ThrowsSipTransportException()
    {
        var layer = new SipTransportLayer(Options.Create(new SipTransportOptions()), TimeProvider.System, NullLogger<SipTransportLayer>.Instance);
        var message = SipParser.Parse(TestMessages.OptionsRequest("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1")).Message!;

        await Assert.ThrowsAsync<SipTransportException>(() =>
            layer.SendAsync(message, new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060))).AsTask());
    }

    [Fact]
    public async Task SendAsync_MessageAboveTheLimit_ThrowsWithoutSending()
    {
        await using var layer = await TestLayers.StartAsync(new RecordingHandler(), ["udp:127.0.0.1:0"], new SipTransportOptions { MaxMessageSize = 1024 });
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);
        var message = SipParser.Parse(TestMessages.OptionsRequest("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1", body: new string('x', 2000))).Message!;

        var ex = await Assert.ThrowsAsync<SipTransportException>(() =>
            layer.SendAsync(message, new SipTarget(SipTransportKind.Udp, (IPEndPoint)peer.LocalEndPoint!)).AsTask());

        Assert.Contains("exceeds the 1024-byte limit", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, layer.Statistics.SendErrors);
    }

    [Fact]
    public async Task GetLocalEndPoint_SpecificListener_IsItsEndPoint()
    {
        await using var layer = await TestLayers.StartAsync(new RecordingHandler(), ["udp:127.0.0.1:0", "tcp:127.0.0.1:0"]);
        var target = new IPEndPoint(IPAddress.Loopback, 5080);

        Assert.Equal(layer.Bound(SipTransportKind.Udp), layer.GetLocalEndPoint(new SipTarget(SipTransportKind.Udp, target)));
        Assert.Equal(layer.Bound(SipTransportKind.Tcp), layer.GetLocalEndPoint(new SipTarget(SipTransportKind.Tcp, target)));
    }

    [Fact]
    public async Task GetLocalEndPoint_WildcardListener_IsTheAddressTheOsRoutesFrom()
    {
        await using var layer = await TestLayers.StartAsync(new RecordingHandler(), ["udp:0.0.0.0:0"]);
        var port = layer.Bound(SipTransportKind.Udp).Port;

        var local = layer.GetLocalEndPoint(new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060)));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), local);
    }

    [IPv6LoopbackFact]
    public async Task GetLocalEndPoint_IPv6WildcardListener_IsTheIPv6Loopback()
    {
        await using var layer = await TestLayers.StartAsync(new RecordingHandler(), ["udp:0.0.0.0:0", "udp:[::]:0"]);
        var v6Port = layer.Bound(SipTransportKind.Udp, AddressFamily.InterNetworkV6).Port;

        var local = layer.GetLocalEndPoint(new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 5060)));

        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, v6Port), local);
    }

    [Fact]
    public async Task GetLocalEndPoint_NoListenerOfThatTransportOrFamily_Throws()
    {
        await using var layer = await TestLayers.StartAsync(new RecordingHandler(), ["udp:127.0.0.1:0"]);

        Assert.Throws<SipTransportException>(() => layer.GetLocalEndPoint(new SipTarget(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5060))));
        Assert.Throws<SipTransportException>(() => layer.GetLocalEndPoint(new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 5060))));
    }
}
