using System.Net;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>A source over its rate is refused before its message is parsed; others are still heard.</summary>
public sealed class SourceAdmissionTests
{
    private sealed class OnlyFirst(int allowed) : ISipSourceAdmission
    {
        private int _seen;

        public bool TryAdmit(IPAddress source) => Interlocked.Increment(ref _seen) <= allowed;
    }

    [Fact]
    public async Task RefusedSource_NeverReachesTheParserOrTheHandler()
    {
        var handler = new RecordingHandler();
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"], admission: new OnlyFirst(1));
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);

        await peer.SendToAsync(TestMessages.OptionsBytes("SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-a1;rport"), layer.Bound(SipTransportKind.Udp));
        await handler.NextAsync();
        await peer.SendToAsync("not sip at all"u8.ToArray(), layer.Bound(SipTransportKind.Udp));
        await peer.SendToAsync(TestMessages.OptionsBytes("SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-a2;rport"), layer.Bound(SipTransportKind.Udp));

        for (var i = 0; i < 100 && layer.Statistics.SourceRefused < 2; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, layer.Statistics.SourceRefused);
        Assert.Equal(0, layer.Statistics.UnparseableDropped);
        Assert.Equal(3, layer.Statistics.MessagesReceived);
    }
}
