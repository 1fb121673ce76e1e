using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Tests.Support;
using GatewayAgent.Sip.Transactions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static GatewayAgent.Sip.Tests.Support.TestMessages;

namespace GatewayAgent.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17.2 server transactions, timers driven by a fake clock.</summary>
[Trait("Ring", "unit")]
public sealed class ServerTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();
    private readonly RecordingUser _user = new();
    private readonly SipTransactionLayer _layer;

    public ServerTransactionTests()
    {
        _layer = new SipTransactionLayer(_sender, new SipTimerOptions(), _time, NullLogger<SipTransactionLayer>.Instance) { User = _user };
    }

    [Fact]
    public void RetransmittedInvite_ReachesTheUserOnce_AndGetsTheLastProvisionalAgain()
    {
        _layer.OnMessage(Incoming(Invite()));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(tx.CreateResponse(180));
        _sender.Clear();

        _layer.OnMessage(Incoming(Invite()));

        Assert.Single(_user.Requests);
        Assert.Equal(180, Assert.Single(_sender.Responses).StatusCode);
    }

    [Fact]
    public void NonSuccessFinal_IsRetransmittedByTimerG_UntilTheAck()
    {
        _layer.OnMessage(Incoming(Invite()));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(tx.CreateResponse(486));
        Assert.Single(_sender.Responses);

        // Timer G: T1, 2·T1, 4·T1, then capped at T2 (RFC 3261 §17.2.1).
        foreach (var (step, total) in new[] { (500, 2), (1000, 3), (2000, 4), (4000, 5), (4000, 6) })
        {
            _time.Advance(TimeSpan.FromMilliseconds(step - 1));
            Assert.Equal(total - 1, _sender.Responses.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(total, _sender.Responses.Count);
        }

        _layer.OnMessage(Incoming(Invite(method: "ACK").Replace("CSeq: 1 ACK", "CSeq: 1 ACK")));
        Assert.Equal(TransactionState.Confirmed, tx.State);
        Assert.Empty(_user.Acks);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(6, _sender.Responses.Count);

        // Timer I = T4 ends the Confirmed state.
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _layer.ServerTransactionCount);
    }

    [Fact]
    public void NonSuccessFinal_WithoutAck_TimesOutAfterTimerH()
    {
        _layer.OnMessage(Incoming(Invite()));
        var tx = (InviteServerTransaction)Assert.Single(_user.Requests);
        var timedOut = false;
        tx.AckTimeout += _ => timedOut = true;
        tx.Respond(tx.CreateResponse(404));

        _time.Advance(TimeSpan.FromSeconds(32) - TimeSpan.FromMilliseconds(1));
        Assert.False(timedOut);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(timedOut);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Success_AbsorbsRetransmissions_UntilTimerL_FromACompactRecord()
    {
        // RFC 6026 §7.1 Accepted: the retransmitted INVITE is absorbed (the 2xx is the TU's to retransmit). The layer
        // keeps that state as a compact record, not the transaction with its parsed request.
        _layer.OnMessage(Incoming(Invite()));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(tx.CreateResponse(200));
        Assert.Equal(0, _layer.ServerTransactionCount);
        Assert.Equal(1, _layer.CompletedTransactionCount);
        _sender.Clear();

        _time.Advance(TimeSpan.FromSeconds(31));
        _layer.OnMessage(Incoming(Invite()));
        Assert.Empty(_sender.Sent);
        Assert.Single(_user.Requests);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, _layer.CompletedTransactionCount);
        Assert.Equal(0, _layer.CompletedTransactionBytes);
    }

    [Fact]
    public void ARetransmission30SecondsAfterTheFinalResponse_GetsTheSameResponse()
    {
        // Timer J is 64·T1 = 32 s: the compact record answers with the very bytes first sent.
        _layer.OnMessage(Incoming(Invite(method: "OPTIONS")));
        var tx = Assert.Single(_user.Requests);
        var response = tx.CreateResponse(200);
        response.Headers.Add("X-Marker", "first");
        tx.Respond(response);
        var first = _sender.Responses.Single().ToString();

        _time.Advance(TimeSpan.FromSeconds(30));
        _layer.OnMessage(Incoming(Invite(method: "OPTIONS")));

        Assert.Single(_user.Requests);
        Assert.Equal(2, _sender.Responses.Count);
        Assert.Equal(first, _sender.Responses[1].ToString());
        Assert.Equal(tx.Peer, _sender.Sent.Last().Target);
    }

    [Fact]
    public void ACancelAfterThe2xx_IsAnswered200_AndDoesNotReachTheUser()
    {
        // RFC 3261 §9.2: it matched a transaction whose final response was sent, so it has no effect on it.
        _layer.OnMessage(Incoming(Invite()));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(tx.CreateResponse(200));
        _sender.Clear();

        _layer.OnMessage(Incoming(Invite(method: "CANCEL")));

        Assert.Single(_user.Requests);
        Assert.Equal(200, Assert.Single(_sender.Responses).StatusCode);
    }

    [Fact]
    public void AMergedRequest_WhileTheFirstIsCompleted_Gets482()
    {
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-a", method: "OPTIONS")));
        var first = Assert.Single(_user.Requests);
        first.Respond(first.CreateResponse(200));
        _time.Advance(TimeSpan.FromSeconds(10));

        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-b", method: "OPTIONS")));

        Assert.Single(_user.Requests);
        Assert.Equal(482, _sender.Responses.Last().StatusCode);
    }

    [Fact]
    public void MergeKeys_LeaveWithTheirTransactions_AnsweredOrNot()
    {
        // one merge key per request without a To tag (RFC 3261 §8.2.2.2), held while the transaction or its record is
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-ok", callId: "ok")));
        _user.Requests.Last().Respond(_user.Requests.Last().CreateResponse(200));
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-busy", callId: "busy")));
        _user.Requests.Last().Respond(_user.Requests.Last().CreateResponse(486));
        Assert.Equal(2, _layer.MergeKeyCount);

        _time.Advance(TimeSpan.FromSeconds(33)); // Timer L for the 2xx's record, Timer H for the unacknowledged 486

        Assert.Equal(0, _layer.MergeKeyCount);
        Assert.Equal(0, _layer.CompletedTransactionCount);
        Assert.Equal(0, _layer.ServerTransactionCount);
    }

    [Fact]
    public void CompletedTransactions_AreBoundedByBytes_AndBeyondTheBound_NewRequestsGet503()
    {
        var layer = new SipTransactionLayer(_sender, new SipTimerOptions(), _time, NullLogger<SipTransactionLayer>.Instance,
            new SipTransactionOptions { MaxCompletedBytes = 65_536 }) { User = _user };
        var answered = 0;
        while (layer.CompletedTransactionBytes < 65_536)
        {
            layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-n" + answered, callId: "c" + answered, method: "OPTIONS")));
            var tx = _user.Requests.Last();
            tx.Respond(tx.CreateResponse(200));
            answered++;
        }

        _sender.Clear();
        layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-over", callId: "over", method: "OPTIONS")));

        Assert.Equal(answered, _user.Requests.Count);
        Assert.Equal(503, Assert.Single(_sender.Responses).StatusCode);
        // a compact record each: key, merge key, target and To tag, ~234 bytes (the 200 is rebuilt from a retransmission, not kept)
        Assert.InRange(answered, 250, 300);

        // and the bound frees itself when the records expire
        _time.Advance(TimeSpan.FromSeconds(33));
        Assert.Equal(0, layer.CompletedTransactionBytes);
        layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-after", callId: "after", method: "OPTIONS")));
        Assert.Equal(answered + 1, _user.Requests.Count);
    }

    [Fact]
    public void AckForA2xx_GoesToTheUser()
    {
        _layer.OnMessage(Incoming(Invite()));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(tx.CreateResponse(200));

        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-ack", method: "ACK", toTag: tx.LocalTag)));

        Assert.Single(_user.Acks);
    }

    [Fact]
    public void NonInvite_FinalResponse_IsResentOnRetransmission_AndKeptForTimerJ()
    {
        _layer.OnMessage(Incoming(Invite(method: "OPTIONS")));
        var tx = Assert.Single(_user.Requests);
        Assert.IsType<NonInviteServerTransaction>(tx);
        tx.Respond(tx.CreateResponse(200));

        _layer.OnMessage(Incoming(Invite(method: "OPTIONS")));
        Assert.Equal(2, _sender.Responses.Count);
        Assert.Single(_user.Requests);

        _time.Advance(TimeSpan.FromSeconds(32) - TimeSpan.FromMilliseconds(1));
        _layer.OnMessage(Incoming(Invite(method: "OPTIONS")));
        Assert.Equal(3, _sender.Responses.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _layer.CompletedTransactionCount);

        // Timer J fired: the same request is a new one
        _layer.OnMessage(Incoming(Invite(method: "OPTIONS")));
        Assert.Equal(2, _user.Requests.Count);
    }

    [Fact]
    public void ReliableTransport_NoRetransmissions_AndNonInviteEndsAtOnce()
    {
        _layer.OnMessage(Incoming(Invite(method: "OPTIONS", transport: "TCP"), TcpPeer));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(tx.CreateResponse(200));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(TcpPeer, _sender.Sent.Single().Target);

        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-2", callId: "c2", transport: "TCP"), TcpPeer));
        var invite = _user.Requests.Last();
        invite.Respond(invite.CreateResponse(486));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _sender.Responses.Count);
    }

    [Fact]
    public void MergedRequest_WithAnotherBranch_Gets482()
    {
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-a")));
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-b")));

        Assert.Single(_user.Requests);
        Assert.Equal(482, Assert.Single(_sender.Responses).StatusCode);
        Assert.Equal(1, _layer.MergedRequestsRejected);
    }

    [Fact]
    public void AfterTheFirstTransactionEnds_TheSameRequestByAnotherBranchIsNoLongerMerged()
    {
        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-a", method: "OPTIONS")));
        var first = Assert.Single(_user.Requests);
        first.Respond(first.CreateResponse(200));
        _time.Advance(TimeSpan.FromSeconds(32));
        Assert.Equal(TransactionState.Terminated, first.State);

        _layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-b", method: "OPTIONS")));

        Assert.Equal(2, _user.Requests.Count);
        Assert.DoesNotContain(_sender.Responses, r => r.StatusCode == 482);
    }

    [Fact]
    public void Cancel_IsMatchedToItsInvite()
    {
        _layer.OnMessage(Incoming(Invite()));
        _layer.OnMessage(Incoming(Invite(method: "CANCEL")));

        var cancel = _user.Requests.Last();
        Assert.Equal("CANCEL", cancel.Request.Method);
        Assert.Same(_user.Requests.First(), cancel.CancelledInvite);
    }

    [Fact]
    public void Cancel_WithoutInvite_HasNoMatch()
    {
        _layer.OnMessage(Incoming(Invite(method: "CANCEL")));

        Assert.Null(Assert.Single(_user.Requests).CancelledInvite);
    }

    [Fact]
    public void Rfc2543Request_WithoutCookie_MatchesItsRetransmission()
    {
        const string Old = "INVITE sip:0312345678@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10:5062\nFrom: <sip:a@192.0.2.10>;tag=x\nTo: <sip:0312345678@127.0.0.1>\nCall-ID: old-1\nCSeq: 5 INVITE\nContent-Length: 0\n\n";
        _layer.OnMessage(Incoming(Old));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(tx.CreateResponse(404));
        _layer.OnMessage(Incoming(Old));

        Assert.Single(_user.Requests);
        Assert.Equal(2, _sender.Responses.Count);

        _layer.OnMessage(Incoming(Old.Replace("INVITE sip", "ACK sip").Replace("5 INVITE", "5 ACK")));
        Assert.Equal(TransactionState.Confirmed, tx.State);
    }

    [Fact]
    public void InvalidRequest_IsAnsweredStatelessly_WithTheParserVerdict()
    {
        _layer.OnMessage(Incoming(Invite().Replace("CSeq: 1 INVITE", "CSeq: 1 OPTIONS")));

        Assert.Empty(_user.Requests);
        var response = Assert.Single(_sender.Responses);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("CSeq", response.ReasonPhrase);
        Assert.NotNull(response.To!.Tag);
    }

    [Fact]
    public void TransportFailure_TerminatesTheTransaction()
    {
        _layer.OnMessage(Incoming(Invite()));
        var tx = Assert.Single(_user.Requests);
        _sender.Fail = true;

        tx.Respond(tx.CreateResponse(180));

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _layer.ServerTransactionCount);
    }

    [Fact]
    public void BeyondTheTransactionLimit_NewRequestsGet503WithRetryAfter()
    {
        var layer = new SipTransactionLayer(_sender, new SipTimerOptions(), _time, NullLogger<SipTransactionLayer>.Instance,
            new SipTransactionOptions { MaxServerTransactions = 100 }) { User = _user };
        for (var i = 0; i < 100; i++)
        {
            layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-n" + i, callId: "c" + i, method: "OPTIONS")));
        }

        layer.OnMessage(Incoming(Invite(branch: "z9hG4bK-over", callId: "over", method: "OPTIONS")));

        Assert.Equal(100, _user.Requests.Count);
        var refused = Assert.Single(_sender.Responses);
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("5", refused.Headers[HeaderNames.RetryAfter]);
        Assert.Equal(1, layer.OverloadRejected);
    }
}
