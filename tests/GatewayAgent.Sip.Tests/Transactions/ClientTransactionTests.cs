using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Tests.Support;
using GatewayAgent.Sip.Transactions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static GatewayAgent.Sip.Tests.Support.TestMessages;

namespace GatewayAgent.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17.1 client transactions, timers driven by a fake clock.</summary>
[Trait("Ring", "unit")]
public sealed class ClientTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();
    private readonly RecordingUser _user = new();
    private readonly SipTransactionLayer _layer;

    public ClientTransactionTests()
    {
        _layer = new SipTransactionLayer(_sender, new SipTimerOptions(), _time, NullLogger<SipTransactionLayer>.Instance) { User = _user };
    }

    private static SipRequest Request(string method = "INVITE", string transport = "UDP") =>
        (SipRequest)SipParser.Parse(Invite(method: method, transport: transport).ReplaceLineEndings("\r\n")).Message!;

    // The fake clock runs timers synchronously, so a completed transaction's result is already there.
    private static ClientTransactionResult ResultOf(ClientTransaction tx)
    {
        Assert.True(tx.Completion.IsCompletedSuccessfully, "transaction not completed");
        return tx.Completion.GetAwaiter().GetResult();
    }

    [Fact]
    public void NonInvite_IsRetransmittedByTimerE_AndTimesOutAfterTimerF()
    {
        var tx = _layer.SendRequest(Request("OPTIONS"), UdpPeer);
        Assert.Single(_sender.Requests);

        // Timer E: 500, 1000, 2000, 4000, 4000 ... ms (RFC 3261 §17.1.2.2).
        var expected = new[] { 500, 1500, 3500, 7500, 11500, 15500 };
        var elapsed = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(expected[i] - elapsed));
            elapsed = expected[i];
            Assert.Equal(i + 2, _sender.Requests.Count);
        }

        Assert.False(tx.Completion.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(32000 - elapsed));
        Assert.True(tx.Completion.IsCompleted);
        Assert.Equal(ClientTransactionOutcome.Timeout, ResultOf(tx).Outcome);
        Assert.Equal(408, ResultOf(tx).StatusCode);
        Assert.Equal(0, _layer.ClientTransactionCount);
    }

    [Fact]
    public void NonInvite_FinalResponse_CompletesAndAbsorbsRetransmissionsForTimerK()
    {
        var request = Request("OPTIONS");
        var tx = _layer.SendRequest(request, UdpPeer);

        _layer.OnMessage(Incoming(Response(request, 200)));

        Assert.Equal(200, ResultOf(tx).StatusCode);
        // Completed is kept as a compact record (issue 13): the transaction object is gone at once, and retransmitted
        // final responses are still absorbed until Timer K (T4), not passed to the TU.
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _layer.ClientTransactionCount);
        Assert.Equal(1, _layer.CompletedClientTransactionCount);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        _layer.OnMessage(Incoming(Response(request, 200)));
        _layer.OnMessage(Incoming(Response(request, 486)));
        Assert.Empty(_user.Stray);
        Assert.Single(_sender.Requests);

        _time.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(0, _layer.CompletedClientTransactionCount);
        _layer.OnMessage(Incoming(Response(request, 200)));
        Assert.Single(_user.Stray);
    }

    [Fact]
    public void NonInvite_FinalResponseOverTcp_EndsTheTransaction_WithoutARecord()
    {
        var request = Request("OPTIONS", "TCP");
        var tx = _layer.SendRequest(request, TcpPeer);

        _layer.OnMessage(Incoming(Response(request, 200), TcpPeer));

        Assert.Equal(200, ResultOf(tx).StatusCode);
        Assert.Equal(TransactionState.Terminated, tx.State); // Timer K is zero on a reliable transport (§17.1.2.2)
        Assert.Equal(0, _layer.CompletedClientTransactionCount);
    }

    [Fact]
    public void Invite_IsRetransmittedByTimerA_UntilAProvisional_AndTimesOutAfterTimerB()
    {
        var request = Request();
        var tx = _layer.SendRequest(request, UdpPeer);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Equal(3, _sender.Requests.Count);

        _layer.OnMessage(Incoming(Response(request, 180)));
        _time.Advance(TimeSpan.FromMilliseconds(2000));
        Assert.Equal(3, _sender.Requests.Count);
        Assert.Equal(TransactionState.Proceeding, tx.State);

        _time.Advance(TimeSpan.FromSeconds(32));
        Assert.Equal(ClientTransactionOutcome.Timeout, ResultOf(tx).Outcome);
    }

    [Fact]
    public void Invite_NonSuccessFinal_IsAckedWithTheSameBranch_AndAgainOnRetransmission()
    {
        var request = Request();
        var tx = _layer.SendRequest(request, UdpPeer);
        _sender.Clear();

        _layer.OnMessage(Incoming(Response(request, 486)));

        var ack = Assert.Single(_sender.Requests);
        Assert.Equal("ACK", ack.Method);
        Assert.Equal(request.TopVia!.Branch, ack.TopVia!.Branch);
        Assert.Equal("uas-tag", ack.To!.Tag);
        Assert.Equal(new CSeqHeader(1, "ACK"), ack.CSeq);
        Assert.Equal(486, ResultOf(tx).StatusCode);

        _layer.OnMessage(Incoming(Response(request, 486)));
        Assert.Equal(2, _sender.Requests.Count);

        _time.Advance(TimeSpan.FromSeconds(32));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Invite_Success_IsPassedUp_WithRetransmissionsWhileAccepted()
    {
        var request = Request();
        var tx = (InviteClientTransaction)_layer.SendRequest(request, UdpPeer);
        var successes = 0;
        tx.Success += (_, _, _) => successes++;

        _layer.OnMessage(Incoming(Response(request, 200)));
        _layer.OnMessage(Incoming(Response(request, 200)));

        Assert.Equal(2, successes);
        Assert.Equal(200, ResultOf(tx).StatusCode);

        // RFC 6026 Accepted is kept as a compact record (issue 13): the transaction object is gone at once, and 2xx
        // retransmissions still reach the TU until Timer M (64·T1); a non-2xx there is discarded.
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _layer.ClientTransactionCount);
        Assert.Equal(1, _layer.AcceptedClientTransactionCount);
        _time.Advance(TimeSpan.FromSeconds(31));
        _layer.OnMessage(Incoming(Response(request, 200)));
        _layer.OnMessage(Incoming(Response(request, 486)));
        Assert.Equal(3, successes);
        Assert.Empty(_user.Stray);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, _layer.AcceptedClientTransactionCount);
        _layer.OnMessage(Incoming(Response(request, 200)));
        Assert.Equal(3, successes);
        Assert.Single(_user.Stray);
    }

    [Fact]
    public void Invite_SuccessWhileAccepted_ComesWithASkeletonOfTheInvite_AndItsPeer()
    {
        var request = Request();
        request.Headers.Add(HeaderNames.ContentType, "application/sdp");
        request.Body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"u8.ToArray();
        var tx = (InviteClientTransaction)_layer.SendRequest(request, UdpPeer);
        var seen = new List<(SipRequest Invite, GatewayAgent.Sip.Transport.SipTarget Peer)>();
        tx.Success += (_, invite, peer) => seen.Add((invite, peer));

        _layer.OnMessage(Incoming(Response(request, 200)));
        _layer.OnMessage(Incoming(Response(request, 200)));

        Assert.Equal(2, seen.Count);
        Assert.Same(request, seen[0].Invite);
        // The record keeps what an ACK needs (RFC 3261 §13.2.2.4), not the transaction's request with its body.
        var skeleton = seen[1].Invite;
        Assert.NotSame(request, skeleton);
        Assert.Equal(SipMethods.Invite, skeleton.Method);
        Assert.Equal(request.RequestUri.ToString(), skeleton.RequestUri.ToString());
        foreach (var name in new[] { HeaderNames.Via, HeaderNames.From, HeaderNames.To, HeaderNames.CallId, HeaderNames.CSeq })
        {
            Assert.Equal(request.Headers[name], skeleton.Headers[name]);
        }

        Assert.True(skeleton.Body.IsEmpty);
        Assert.Equal(UdpPeer, seen[0].Peer);
        Assert.Equal(UdpPeer, seen[1].Peer);
    }

    [Fact]
    public void ReliableTransport_DoesNotRetransmit()
    {
        var tx = _layer.SendRequest(Request("OPTIONS", "TCP"), TcpPeer);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(_sender.Requests);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ClientTransactionOutcome.Timeout, ResultOf(tx).Outcome);
    }

    [Fact]
    public void TransportFailure_CompletesWithTransportError()
    {
        _sender.Fail = true;
        var tx = _layer.SendRequest(Request(), UdpPeer);

        Assert.Equal(ClientTransactionOutcome.TransportError, ResultOf(tx).Outcome);
        Assert.Equal(503, ResultOf(tx).StatusCode);
    }

    [Fact]
    public void ResponseWithTwoVias_IsDiscarded()
    {
        var request = Request("OPTIONS");
        var tx = _layer.SendRequest(request, UdpPeer);
        var text = Response(request, 200).Replace("Via: ", "Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKx\r\nVia: ");

        _layer.OnMessage(Incoming(text));

        Assert.False(tx.Completion.IsCompleted);
    }
}
