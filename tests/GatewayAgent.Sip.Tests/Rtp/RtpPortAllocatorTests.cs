using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using GatewayAgent.Sip.Rtp;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Sip.Tests.Rtp;

// Each test uses its own port range so the tests can run in parallel.
[Trait("Ring", "integration")]
public sealed class RtpPortAllocatorTests
{
    private static RtpPortAllocator NewAllocator(int minPort, int maxPort, string bindAddress = "127.0.0.1") =>
        new(Options.Create(new RtpPortAllocatorOptions { MinPort = minPort, MaxPort = maxPort, BindAddress = bindAddress }));

    /// <summary>Waits until the lease has drained <paramref name="count"/> datagrams (woken by each one), then checks it is exactly that many.</summary>
    private static async Task WaitForPacketsAsync(RtpPortLease lease, long count)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // a hung test's net, not a timing
        while (true)
        {
            var next = lease.NextPacketAsync(); // before reading the counter, so a datagram in between is not missed
            if (lease.PacketsReceived >= count)
            {
                break;
            }

            await next.WaitAsync(bound.Token);
        }

        Assert.Equal(count, lease.PacketsReceived);
    }

    [Fact]
    public async Task TryAllocate_HandsOutEachEvenPortOnceThenRunsOut()
    {
        var allocator = NewAllocator(42000, 42005);
        var leases = new List<RtpPortLease>();

        while (allocator.TryAllocate(out var lease))
        {
            leases.Add(lease);
        }

        Assert.Equal([42000, 42002, 42004], leases.Select(l => l.Port));
        Assert.Equal(3, allocator.Capacity);
        Assert.Equal(3, allocator.InUseCount);
        Assert.All(leases, l => Assert.Equal(new IPEndPoint(IPAddress.Loopback, l.Port), l.LocalEndpoint));
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        Assert.Equal(0, allocator.InUseCount);
    }

    [Fact]
    public async Task DisposeAsync_ClosesTheSocketAndFreesThePort()
    {
        var allocator = NewAllocator(42050, 42051);
        Assert.True(allocator.TryAllocate(out var lease));
        Assert.False(allocator.TryAllocate(out _));

        await lease.DisposeAsync();
        await lease.DisposeAsync(); // idempotent

        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 42050)); // would throw if the lease still held it
        }

        Assert.True(allocator.TryAllocate(out var again));
        Assert.Equal(42050, again.Port);
        await again.DisposeAsync();
    }

    [Fact]
    public async Task TryAllocate_SkipsAPortAnotherProcessHolds()
    {
        using var foreign = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        foreign.Bind(new IPEndPoint(IPAddress.Loopback, 42102));
        var allocator = NewAllocator(42100, 42105);

        Assert.True(allocator.TryAllocate(out var first));
        Assert.True(allocator.TryAllocate(out var second));
        Assert.False(allocator.TryAllocate(out _));

        Assert.Equal([42100, 42104], new[] { first.Port, second.Port });
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task TryAllocate_OddBoundaries_AreRoundedInward()
    {
        var allocator = NewAllocator(42201, 42205);

        Assert.True(allocator.TryAllocate(out var first));
        Assert.True(allocator.TryAllocate(out var second));
        Assert.False(allocator.TryAllocate(out _));

        Assert.Equal([42202, 42204], new[] { first.Port, second.Port });
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task TryAllocate_AfterARelease_MovesOnRatherThanReusingAtOnce()
    {
        var allocator = NewAllocator(42300, 42309);
        Assert.True(allocator.TryAllocate(out var first));
        await first.DisposeAsync();

        Assert.True(allocator.TryAllocate(out var next));

        Assert.Equal(42302, next.Port);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task TryAllocate_FromManyThreads_NeverHandsOutAPortTwice()
    {
        var allocator = NewAllocator(42400, 42599);
        var leases = new System.Collections.Concurrent.ConcurrentBag<RtpPortLease>();

        Parallel.For(0, 100, _ =>
        {
            if (allocator.TryAllocate(out var lease))
            {
                leases.Add(lease);
            }
        });

        Assert.Equal(100, leases.Count);
        Assert.Equal(100, leases.Select(l => l.Port).Distinct().Count());
        Assert.All(leases, l => Assert.True(l.Port % 2 == 0 && l.Port is >= 42400 and <= 42598));
        await Task.WhenAll(leases.Select(l => l.DisposeAsync().AsTask()));
        Assert.Equal(0, allocator.InUseCount);
    }

    [Fact]
    public async Task Lease_DrainsIncomingRtpSoTheBufferNeverFills()
    {
        var allocator = NewAllocator(42700, 42701);
        Assert.True(allocator.TryAllocate(out var lease));
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var datagram = new byte[172];

        // 4000 datagrams are several times what a default socket buffer holds.
        for (var batch = 1; batch <= 40; batch++)
        {
            for (var i = 0; i < 100; i++)
            {
                await peer.SendToAsync(datagram, SocketFlags.None, lease.LocalEndpoint);
            }

            var expected = batch * 100;
            await WaitForPacketsAsync(lease, expected);
        }

        Assert.Equal(peer.LocalEndPoint, lease.LastRemoteEndpoint);
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Lease_WithRtpSender_DeliversToAnotherLease()
    {
        var time = new FakeTimeProvider();
        var allocator = NewAllocator(42800, 42809);
        Assert.True(allocator.TryAllocate(out var ours));
        Assert.True(allocator.TryAllocate(out var theirs));
        await using var sender = new RtpSender(ours.Socket, new RtpSenderOptions { RemoteEndpoint = theirs.LocalEndpoint }, time);

        await sender.StartAsync();
        time.Advance(TimeSpan.FromMilliseconds(20));
        time.Advance(TimeSpan.FromMilliseconds(20));

        await WaitForPacketsAsync(theirs, 3);
        Assert.Equal(ours.LocalEndpoint, theirs.LastRemoteEndpoint);
        await sender.StopAsync();
        await ours.DisposeAsync();
        await theirs.DisposeAsync();
    }

    [Fact]
    public async Task DualModeBind_ReceivesIpv4Traffic()
    {
        var allocator = NewAllocator(42900, 42901, "::");
        Assert.True(allocator.TryAllocate(out var lease));
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        await peer.SendToAsync(new byte[12], SocketFlags.None, new IPEndPoint(IPAddress.Loopback, lease.Port));

        await WaitForPacketsAsync(lease, 1);
        Assert.True(lease.Socket.DualMode);
        await lease.DisposeAsync();
    }

    [Theory]
    [InlineData(21000, 20000, "0.0.0.0")]
    [InlineData(20001, 20001, "0.0.0.0")]
    [InlineData(80, 20000, "0.0.0.0")]
    [InlineData(20000, 20999, "not-an-address")]
    public void Options_Invalid_AreReportedAndRefused(int minPort, int maxPort, string bindAddress)
    {
        var options = new RtpPortAllocatorOptions { MinPort = minPort, MaxPort = maxPort, BindAddress = bindAddress };

        // TryValidateObject runs the [Range]/[Required] checks, then IValidatableObject.Validate.
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.Throws<ArgumentException>(() => new RtpPortAllocator(Options.Create(options)));
    }

    [Fact]
    public void Options_Defaults_AreValid()
    {
        var options = new RtpPortAllocatorOptions();
        var results = new List<ValidationResult>();

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(500, new RtpPortAllocator(Options.Create(options)).Capacity);
    }
}
