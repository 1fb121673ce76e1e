using System.Net;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>
/// The strangers' receive queue has a maximum delay (issue 13): a datagram that waited longer is dropped unparsed when
/// it comes out, so an overloaded agent answers fresh requests rather than stale ones its peers have already
/// retransmitted; the known probers' queue keeps everything.
/// </summary>
[Trait("Ring", "unit")]
public sealed class UdpReceiveQueueDelayTests
{
    private static readonly SipTarget Stranger = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("203.0.113.5"), 5060));
    private static readonly SipTarget Prober = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5060));
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task AStrangersDatagramOlderThanTheMaximumDelay_IsDropped_AndTheNextOneHandedUp()
    {
        var stale = 0;
        using var queue = new UdpReceiveQueue(1 << 20, 1 << 20, TimeSpan.FromMilliseconds(250), _time, () => stale++);
        queue.TryEnqueue([1], Stranger, priority: false, out _);
        _time.Advance(TimeSpan.FromMilliseconds(251));
        queue.TryEnqueue([2], Stranger, priority: false, out _);

        var item = await queue.DequeueAsync(CancellationToken.None);

        Assert.Equal(2, item.Data[0]);
        Assert.Equal(1, stale);
        Assert.Equal(0, queue.OrdinaryBytes);
        UdpReceiveQueue.Return(item);
    }

    [Fact]
    public async Task ADatagramWithinTheMaximumDelay_IsHandedUp()
    {
        var stale = 0;
        using var queue = new UdpReceiveQueue(1 << 20, 1 << 20, TimeSpan.FromMilliseconds(250), _time, () => stale++);
        queue.TryEnqueue([1], Stranger, priority: false, out _);
        _time.Advance(TimeSpan.FromMilliseconds(250));

        var item = await queue.DequeueAsync(CancellationToken.None);

        Assert.Equal(1, item.Data[0]);
        Assert.Equal(0, stale);
        UdpReceiveQueue.Return(item);
    }

    [Fact]
    public async Task AProbersDatagram_IsHandedUpHoweverLongItWaited()
    {
        var stale = 0;
        using var queue = new UdpReceiveQueue(1 << 20, 1 << 20, TimeSpan.FromMilliseconds(250), _time, () => stale++);
        queue.TryEnqueue([7], Prober, priority: true, out _);
        _time.Advance(TimeSpan.FromSeconds(5));

        var item = await queue.DequeueAsync(CancellationToken.None);

        Assert.Equal(7, item.Data[0]);
        Assert.Equal(0, stale);
        UdpReceiveQueue.Return(item);
    }

    [Fact]
    public async Task AZeroMaximumDelay_KeepsEverything()
    {
        using var queue = new UdpReceiveQueue(1 << 20, 1 << 20, TimeSpan.Zero, _time);
        queue.TryEnqueue([1], Stranger, priority: false, out _);
        _time.Advance(TimeSpan.FromMinutes(5));

        var item = await queue.DequeueAsync(CancellationToken.None);

        Assert.Equal(1, item.Data[0]);
        UdpReceiveQueue.Return(item);
    }
}
