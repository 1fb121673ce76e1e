using System.Net;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Transactions;

/// <summary>
/// The compact records of completed server transactions (RFC 3261 §17.2.2 Completed, RFC 6026 Accepted): exact bytes
/// back for every record, expiry in order, and memory that returns when the records expire (issue 13).
/// </summary>
[Trait("Ring", "unit")]
public sealed class CompletedTransactionsTests
{
    private static readonly SipTarget Peer = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 5062));

    [Fact]
    public void EveryRecord_GivesBackItsOwnResponseBytes_AcrossManySegments()
    {
        var table = new CompletedTransactions();
        for (var i = 0; i < 5_000; i++)
        {
            Assert.True(table.TryAdd(Key(i), null, Peer, Response(i), expiresAt: 100));
        }

        Assert.True(table.SegmentBytes > 1_000_000); // 5,000 responses of ~300 bytes: many 64 KB segments
        for (var i = 0; i < 5_000; i++)
        {
            Assert.True(table.TryGet(Key(i), out var response, out var peer));
            Assert.Equal(Response(i), response);
            Assert.Equal(Peer, peer);
        }
    }

    [Fact]
    public void ASecondRecordWithTheSameKey_IsRefused_AndTheFirstKept()
    {
        var table = new CompletedTransactions();
        Assert.True(table.TryAdd(Key(1), null, Peer, Response(1), expiresAt: 100));

        Assert.False(table.TryAdd(Key(1), null, Peer, Response(2), expiresAt: 200));

        Assert.True(table.TryGet(Key(1), out var response, out _));
        Assert.Equal(Response(1), response);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void ARecordWithoutResponse_IsFound_AndAbsorbs()
    {
        var table = new CompletedTransactions();
        table.TryAdd(Key(1), null, Peer, null, expiresAt: 100);

        Assert.True(table.TryGet(Key(1), out var response, out _));
        Assert.Null(response);
        Assert.True(table.Contains(Key(1)));
        Assert.False(table.Contains(Key(2)));
    }

    [Fact]
    public void RecordsExpireInOrder_AndTheirBytesAndSegmentsAreGiven_Back()
    {
        var table = new CompletedTransactions();
        for (var i = 0; i < 3_000; i++)
        {
            table.TryAdd(Key(i), null, Peer, Response(i), expiresAt: i);
        }

        Assert.False(table.Sweep(now: 1_499));
        Assert.Equal(1_500, table.Count);
        Assert.False(table.Contains(Key(1_499)));
        Assert.True(table.TryGet(Key(1_500), out var response, out _));
        Assert.Equal(Response(1_500), response);

        Assert.True(table.Sweep(now: 3_000));
        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.Bytes);
        Assert.True(table.SegmentBytes <= 9 * 64 * 1024); // the current segment and a few spares, not the 14 used
    }

    [Fact]
    public void UnderSteadyTraffic_MemoryFollowsWhatIsLive_NotWhatWentThrough()
    {
        // 100 records a tick, each living 32 ticks: ~3,200 live at a time, 200,000 through the table in all.
        var table = new CompletedTransactions();
        var peak = 0L;
        for (var tick = 0; tick < 2_000; tick++)
        {
            for (var i = 0; i < 100; i++)
            {
                var n = (tick * 100) + i;
                Assert.True(table.TryAdd(Key(n), null, Peer, Response(n), expiresAt: tick + 32));
            }

            table.Sweep(now: tick);
            peak = Math.Max(peak, table.SegmentBytes);
        }

        Assert.InRange(table.Count, 3_200, 3_300);
        Assert.True(peak <= 1_400_000, $"segments peaked at {peak} bytes for ~1 MB of live responses");
    }

    [Fact]
    public void ALargeResponse_IsKeptWhole()
    {
        var table = new CompletedTransactions();
        var large = new byte[40_000];
        Random.Shared.NextBytes(large);

        table.TryAdd(Key(1), null, Peer, large, expiresAt: 10);
        table.TryAdd(Key(2), null, Peer, Response(2), expiresAt: 10);

        Assert.True(table.TryGet(Key(1), out var response, out _));
        Assert.Equal(large, response);
        Assert.True(table.TryGet(Key(2), out response, out _));
        Assert.Equal(Response(2), response);
        Assert.True(table.Sweep(now: 10));
        Assert.Equal(0, table.Bytes);
    }

    [Theory]
    [InlineData("udp", "203.0.113.9", 5060)]
    [InlineData("tcp", "2001:db8::1", 5080)]
    [InlineData("udp", "fe80::1%3", 5060)]
    [InlineData("udp", "::ffff:192.0.2.1", 1)]
    public void ThePeer_ComesBackAsItWasGiven(string transport, string address, int port)
    {
        var peer = new SipTarget(transport == "tcp" ? SipTransportKind.Tcp : SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse(address), port));
        var table = new CompletedTransactions();
        table.TryAdd(Key(1), null, peer, null, expiresAt: 10);

        Assert.True(table.TryGet(Key(1), out _, out var back));

        Assert.Equal(peer, back);
        Assert.Equal(peer.EndPoint.Address.AddressFamily, back.EndPoint.Address.AddressFamily);
        if (peer.EndPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            Assert.Equal(peer.EndPoint.Address.ScopeId, back.EndPoint.Address.ScopeId);
        }
    }

    [Fact]
    public void AMergeKey_IsHeldByTheFirstTransaction_AndFreedWhenItsRecordExpires()
    {
        var table = new CompletedTransactions();
        var merge = Key(-1);
        Assert.Equal(Key(1), table.GetOrAddMerge(merge, Key(1)));
        Assert.Equal(Key(1), table.GetOrAddMerge(merge, Key(2))); // a merged request finds the first
        table.TryAdd(Key(1), merge, Peer, null, expiresAt: 5);

        table.Sweep(now: 5);

        Assert.Equal(0, table.MergeCount);
        Assert.Equal(Key(3), table.GetOrAddMerge(merge, Key(3)));
    }

    [Fact]
    public void AnExpiringRecord_LeavesAMergeKeyThatAnotherTransactionNowHolds()
    {
        var table = new CompletedTransactions();
        var merge = Key(-1);
        table.GetOrAddMerge(merge, Key(1));
        table.TryAdd(Key(1), merge, Peer, null, expiresAt: 5);
        table.SetMerge(merge, Key(2));

        table.Sweep(now: 5);

        Assert.Equal(Key(2), table.GetOrAddMerge(merge, Key(3)));
    }

    private static UInt128 Key(int n) => TransactionKeys.Of("z9hG4bK-" + n + "|192.0.2.7:5062|BYE");

    private static byte[] Response(int n) =>
        System.Text.Encoding.ASCII.GetBytes($"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.7:5062;branch=z9hG4bK-{n}\r\n" +
            $"From: <sip:a@example.com>;tag={n}\r\nTo: <sip:b@example.com>;tag=x{n}\r\nCall-ID: call-{n}@example.com\r\n" +
            "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n" + new string('x', n % 97));
}
