using System.Net;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.Tests.Support;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>A source over its rate is refused before its message is parsed; others are still heard.</summary>
[Trait("Ring", "integration")]
public sealed class SourceAdmissionTests
{
    /// <summary>Admits only the messages at the given positions (1-based), refusing the others.</summary>
    private sealed class AdmitOnly(params int[] admitted) : ISipSourceAdmission
    {
        private int _seen;

        public bool TryAdmit(IPAddress source) => admitted.Contains(Interlocked.Increment(ref _seen));
    }

    [Fact]
    public async Task RefusedSource_NeverReachesTheParserOrTheHandler()
    {
        var handler = new RecordingHandler();
        var admission = new AdmitOnly(1, 4);
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"], admission: admission);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);

        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-a1;rport"), layer.Bound(SipTransportKind.Udp));
        await handler.NextAsync();
        await peer.SendToAsync("not sip at all"u8.ToArray(), layer.Bound(SipTransportKind.Udp));
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-a2;rport"), layer.Bound(SipTransportKind.Udp));
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-a3;rport"), layer.Bound(SipTransportKind.Udp));

        // The transport handles its datagrams one after the other: when the fourth (admitted) reaches the handler, the
        // two refused before it have been counted, and neither reached the handler.
        var fourth = await handler.NextAsync();
        Assert.Equal("z9hG4bK-a3", fourth.Message!.TopVia?.Branch);
        Assert.False(handler.TryTake(out _));

        Assert.Equal(2, layer.Statistics.SourceRefused);
        Assert.Equal(0, layer.Statistics.UnparseableDropped);
        Assert.Equal(4, layer.Statistics.MessagesReceived);
    }
}
