using System.Net;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.Tests.Support;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>A source over its rate is refused before its message is parsed; others are still heard.</summary>
public sealed class SourceAdmissionTests
{
    private sealed class OnlyFirst(int allowed, int expected) : ISipSourceAdmission
    {
        private int _seen;

        /// <summary>Completes when the transport has asked about <c>expected</c> messages.</summary>
        public TaskCompletionSource AllAsked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryAdmit(IPAddress source)
        {
            var seen = Interlocked.Increment(ref _seen);
            if (seen == expected)
            {
                AllAsked.TrySetResult();
            }

            return seen <= allowed;
        }
    }

    [Fact]
    public async Task RefusedSource_NeverReachesTheParserOrTheHandler()
    {
        var handler = new RecordingHandler();
        var admission = new OnlyFirst(allowed: 1, expected: 3);
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"], admission: admission);
        using var peer = TestLayers.UdpPeer(IPAddress.Loopback);

        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-a1;rport"), layer.Bound(SipTransportKind.Udp));
        await handler.NextAsync();
        await peer.SendToAsync("not sip at all"u8.ToArray(), layer.Bound(SipTransportKind.Udp));
        await peer.SendToAsync(TestMessages.OptionsRequestBytes("SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-a2;rport"), layer.Bound(SipTransportKind.Udp));

        await admission.AllAsked.Task.WaitAsync(TestLayers.Timeout);

        // The counter is raised just after the admission answers.
        Assert.True(SpinWait.SpinUntil(() => layer.Statistics.SourceRefused == 2, TestLayers.Timeout));

        Assert.Equal(2, layer.Statistics.SourceRefused);
        Assert.Equal(0, layer.Statistics.UnparseableDropped);
        Assert.Equal(3, layer.Statistics.MessagesReceived);
    }
}
