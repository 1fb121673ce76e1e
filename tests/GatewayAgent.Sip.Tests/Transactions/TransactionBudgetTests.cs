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
/// only up to the strangers' share, the rest get a stateless 503, and a prober's INVITE still gets a transaction.
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

    private static IncomingMessage Invite(IPAddress from, int n)
    {
        var text = TestMessages.Invite(branch: $"z9hG4bK-b{n}", callId: $"budget-{n}").ReplaceLineEndings("\r\n");
        return new IncomingMessage(SipParser.Parse(text), new SipTarget(SipTransportKind.Udp, new IPEndPoint(from, 5060)),
            new IPEndPoint(IPAddress.Loopback, 5060)) { ByteCount = MessageBytes };
    }
}
