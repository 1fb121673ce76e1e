using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayAgent.Sip.Transport;
using static GatewayAgent.Sip.Tests.Support.TestMessages;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>
/// The UDP receive path under a flood (issue 12 item 2), on real loopback sockets: while parsing is held up, a burst
/// of 8 KB datagrams from 200 loopback sources is queued only up to the byte budget (the rest dropped and counted),
/// the prober's datagrams sent after the burst are still received, and they are handed up before any stranger's.
/// Waits on the transport's counters; no timings.
/// </summary>
[Trait("Ring", "integration")]
public sealed class UdpReceiveQueueTests
{
    private const int Budget = 64 * 1024;
    private const int Strangers = 200;
    private const int Probes = 3;

    [Fact]
    public async Task Flood_IsQueuedWithinItsByteBudget_AndTheProbersDatagramsAreHandledFirst()
    {
        var order = new ConcurrentQueue<IPAddress>();
        using var parsing = new ManualResetEventSlim(false);
        using var blocked = new ManualResetEventSlim(false);
        var handler = new RecordingHandler
        {
            After = m =>
            {
                order.Enqueue(m.Source.EndPoint.Address);
                if (m.Source.EndPoint.Address.Equals(IPAddress.Parse("127.0.0.2")))
                {
                    blocked.Set();
                    parsing.Wait(TimeSpan.FromSeconds(30)); // a parse held up: what a flood of big messages does
                }
            },
        };
        await using var layer = await TestLayers.StartAsync(handler, ["udp:127.0.0.1:0"],
            // No maximum delay: the parse is held up on purpose, so on a busy machine every stranger's datagram would
            // wait past the default 250 ms and be dropped unhandled; the delay has its own tests (UdpReceiveQueueDelayTests).
            new SipTransportOptions
            {
                UdpQueueMaxBytes = Budget, UdpPriorityQueueMaxBytes = Budget, UdpSocketReceiveBufferSize = 8 * 1024 * 1024, UdpQueueMaxDelay = TimeSpan.Zero,
            },
            admission: new ProberAdmission(IPAddress.Loopback));
        var port = layer.Bound(SipTransportKind.Udp).Port;
        var stats = layer.Statistics;

        Send(IPAddress.Parse("127.0.0.2"), port, 0, 512);
        Assert.True(blocked.Wait(TestLayers.Timeout), "the first datagram never reached the handler");

        for (var i = 0; i < Strangers; i++)
        {
            Send(IPAddress.Parse($"127.0.{1 + (i / 250)}.{10 + (i % 250)}"), port, i, 8 * 1024);
        }

        for (var i = 0; i < Probes; i++)
        {
            Send(IPAddress.Loopback, port, 1000 + i, 8 * 1024);
        }

        // Every datagram was read off the socket: queued or dropped for the budget (before the fix the receive loop
        // was the one held up, so none was read until the parse ended, and then all in arrival order).
        await Wait.PollAsync(() => Task.FromResult(stats.Queued + stats.QueueDropped + stats.PriorityQueueDropped),
            n => n >= 1 + Strangers + Probes, TimeSpan.FromSeconds(15), "every datagram read off the socket", TimeSpan.FromMilliseconds(20));

        Assert.Equal(Probes, stats.PriorityQueued);
        Assert.Equal(0, stats.PriorityQueueDropped);
        Assert.InRange(stats.QueuedBytesPeak, 8 * 1024, Budget);
        Assert.True(stats.QueueDropped >= Strangers - (Budget / (8 * 1024)), stats.ToString());

        parsing.Set();
        var expected = 1 + (int)(stats.Queued - 1 - Probes) + Probes;
        await Wait.PollAsync(() => Task.FromResult(order.Count), n => n >= expected, TimeSpan.FromSeconds(15), "the queued messages handled",
            TimeSpan.FromMilliseconds(20));
        var handled = order.ToArray();
        Assert.Equal(IPAddress.Parse("127.0.0.2"), handled[0]);
        Assert.All(handled.Skip(1).Take(Probes), a => Assert.Equal(IPAddress.Loopback, a)); // the probes first
        Assert.DoesNotContain(IPAddress.Loopback, handled.Skip(1 + Probes));
        Assert.InRange(handled.Length - 1 - Probes, 1, Budget / (8 * 1024));
    }

    private static void Send(IPAddress from, int port, int n, int size)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(from, 0));
        var body = new string('x', size - 400);
        socket.SendTo(Encoding.ASCII.GetBytes(OptionsRequest($"SIP/2.0/UDP {from}:5060;branch=z9hG4bK-q{n}", $"flood-{n}", body)),
            new IPEndPoint(IPAddress.Loopback, port));
    }

    private sealed class ProberAdmission(IPAddress prober) : ISipSourceAdmission
    {
        public bool TryAdmit(IPAddress source) => true;

        public bool IsPriority(IPAddress source) => source.Equals(prober);
    }
}
