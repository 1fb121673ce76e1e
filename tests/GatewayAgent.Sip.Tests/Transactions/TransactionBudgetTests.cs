using System.Net;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Tests.Support;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Sip.Tests.Transactions;

/// <summary>
/// The transaction layer's memory is bounded by bytes, with the known probers shed last (issue 12 item 2): INVITEs of
/// 8 KB from 1,000 loopback sources that the TU holds unanswered (as a flood of calls does) fill the live-bytes budget
/// only up to the strangers' share, the rest get a stateless 503, and a prober's INVITE still gets a transaction; and
/// strangers' completed transactions have a share of the completed bytes of their own.
/// </summary>
[Trait("Ring", "unit")]
public sealed class TransactionBudgetTests
{
    private const int MessageBytes = 8 * 1024;

    [Fact]
    public void LiveRequests_AreBoundedByBytes_StrangersStopAtTheirShare_AndAProberIsStillServed()
    {
        var sender = new RecordingSender();
        var user = new RecordingUser();
        var options = new SipTransactionOptions { MaxLiveBytes = 1024 * 1024, StrangerShare = 0.75 };
        var time = new FakeTimeProvider();
        var layer = new SipTransactionLayer(sender, new SipTimerOptions(), time, NullLogger<SipTransactionLayer>.Instance, options)
        {
            User = user,
            IsPriority = a => a.Equals(IPAddress.Loopback),
        };

        for (var i = 0; i < 1000; i++)
        {
            layer.OnMessage(Invite(IPAddress.Parse($"127.0.{1 + (i / 250)}.{1 + (i % 250)}"), i));
        }

        // Before the fix the count (20,000) was the only bound: all 1,000 held 8 MB.
        var strangersLimit = (long)(options.MaxLiveBytes * options.StrangerShare);
        Assert.InRange(layer.LiveTransactionBytesPeak, strangersLimit - MessageBytes, strangersLimit);
        Assert.Equal(strangersLimit / MessageBytes, user.Requests.Count);
        Assert.Equal(1000 - user.Requests.Count, sender.Responses.Count(r => r.StatusCode == 503));

        layer.OnMessage(Invite(IPAddress.Loopback, 5000));

        Assert.Equal(IPAddress.Loopback, user.Requests.Last().Incoming.Source.EndPoint.Address);
        Assert.True(layer.LiveTransactionBytes <= options.MaxLiveBytes);

        // Answered and ended (a non-2xx INVITE transaction waits for its ACK up to Timer H, 64·T1), a transaction
        // gives its bytes back.
        foreach (var tx in user.Requests)
        {
            tx.Respond(tx.CreateResponse(486));
        }

        time.Advance(TimeSpan.FromSeconds(33));

        Assert.Equal(0, layer.LiveTransactionBytes);
    }

    [Fact]
    public void StrangersCompletedRecords_StopAtTheirOwnShare_AndTheProbersRecordsDoNotCountAgainstIt()
    {
        var sender = new RecordingSender();
        var user = new RecordingUser();
        var options = new SipTransactionOptions { MaxCompletedBytes = 1024 * 1024, StrangerCompletedShare = 0.125 };
        var time = new FakeTimeProvider();
        var layer = new SipTransactionLayer(sender, new SipTimerOptions(), time, NullLogger<SipTransactionLayer>.Instance, options)
        {
            User = user,
            IsPriority = a => a.Equals(IPAddress.Loopback),
        };

        // the prober's answered OPTIONS hold more than the strangers' share (128 KB) between them...
        for (var i = 0; i < 1000; i++)
        {
            Answer(layer, user, Options(IPAddress.Loopback, i));
        }

        var strangersLimit = (long)(options.MaxCompletedBytes * options.StrangerCompletedShare);
        Assert.True(layer.CompletedTransactionBytes > strangersLimit);
        Assert.Equal(0, layer.StrangerCompletedTransactionBytes);

        // ...yet strangers are still served, until their own records reach their share: a flood of OPTIONS from 1,000
        // sources, each answered at once
        var served = user.Requests.Count;
        for (var i = 0; i < 1000; i++)
        {
            Answer(layer, user, Options(IPAddress.Parse($"127.0.{1 + (i / 250)}.{1 + (i % 250)}"), 10_000 + i));
        }

        var record = CompletedTransactions.RecordOverhead + CompletedTransactions.MergeKeyOverhead + 10;
        Assert.InRange(layer.StrangerCompletedTransactionBytes, strangersLimit, strangersLimit + record);
        Assert.Equal((strangersLimit + record - 1) / record, user.Requests.Count - served);
        Assert.Equal(1000 - (user.Requests.Count - served), sender.Responses.Count(r => r.StatusCode == 503));

        // the prober is still served, and the strangers' share frees itself when their records expire
        Answer(layer, user, Options(IPAddress.Loopback, 20_000));
        Assert.Equal(IPAddress.Loopback, user.Requests.Last().Incoming.Source.EndPoint.Address);
        time.Advance(TimeSpan.FromSeconds(33));
        Assert.Equal(0, layer.StrangerCompletedTransactionBytes);
        Assert.Equal(0, layer.CompletedTransactionBytes);
    }

    private static void Answer(SipTransactionLayer layer, RecordingUser user, IncomingMessage request)
    {
        var before = user.Requests.Count;
        layer.OnMessage(request);
        if (user.Requests.Count > before)
        {
            var tx = user.Requests.Last();
            tx.Respond(tx.CreateResponse(200));
        }
    }

    private static IncomingMessage Options(IPAddress from, int n)
    {
        var text = TestMessages.Invite(branch: $"z9hG4bK-o{n}", callId: $"options-{n}", method: "OPTIONS").ReplaceLineEndings("\r\n");
        return new IncomingMessage(SipParser.Parse(text), new SipTarget(SipTransportKind.Udp, new IPEndPoint(from, 5060)),
            new IPEndPoint(IPAddress.Loopback, 5060));
    }

    private static IncomingMessage Invite(IPAddress from, int n)
    {
        var text = TestMessages.Invite(branch: $"z9hG4bK-b{n}", callId: $"budget-{n}").ReplaceLineEndings("\r\n");
        return new IncomingMessage(SipParser.Parse(text), new SipTarget(SipTransportKind.Udp, new IPEndPoint(from, 5060)),
            new IPEndPoint(IPAddress.Loopback, 5060)) { ByteCount = MessageBytes };
    }
}
