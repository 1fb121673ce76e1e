using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Tests.Support;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static GatewayAgent.Sip.Tests.Support.TestMessages;

namespace GatewayAgent.Sip.Tests.Transactions;

/// <summary>
/// Completed server transactions whose final response is a pure function of the request keep its form and To tag,
/// not its bytes, and rebuild the response from each retransmission (RFC 3261 §17.2.2; issue 13): the bytes must be
/// the very ones first sent, and anything not rebuildable keeps its bytes.
/// </summary>
[Trait("Ring", "unit")]
public sealed class ResponseFormTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();
    private readonly RecordingUser _user = new();
    private readonly SipTransactionLayer _layer;

    public ResponseFormTests()
    {
        _layer = new SipTransactionLayer(_sender, new SipTimerOptions(), _time, NullLogger<SipTransactionLayer>.Instance) { User = _user };
    }

    [Fact]
    public void AnOptions200WithOurCapabilities_IsRebuiltForARetransmission30sLater_ByteForByte()
    {
        var request = Options();
        _layer.OnMessage(Incoming(request));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(WithCapabilities(tx.CreateResponse(200)));
        var first = _sender.Wire.Single();

        // the record holds its key, merge key, target and our 10-character To tag: not the 200's bytes
        Assert.Equal(CompletedTransactions.RecordOverhead + CompletedTransactions.MergeKeyOverhead + 10, _layer.CompletedTransactionBytes);
        Assert.Equal(1, _layer.CompletedResponseForms);

        _time.Advance(TimeSpan.FromSeconds(30));
        _layer.OnMessage(Incoming(request));

        Assert.Single(_user.Requests);
        Assert.Equal(first, _sender.Wire.Last());
        Assert.Equal(tx.Peer, _sender.Sent.Last().Target);
        Assert.Equal(1, _layer.RebuiltResponsesSent);
    }

    [Fact]
    public void AnInDialogBye200_KeepsNoTag_AndIsRebuiltByteForByte()
    {
        var bye = Invite(branch: "z9hG4bK-bye", method: "BYE", cseq: 2, toTag: "uas-1");
        _layer.OnMessage(Incoming(bye));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(tx.CreateResponse(200));
        var first = _sender.Wire.Single();

        Assert.Equal(CompletedTransactions.RecordOverhead, _layer.CompletedTransactionBytes); // no merge key, no tag of ours
        _layer.OnMessage(Incoming(bye));

        Assert.Equal(2, _sender.Wire.Count);
        Assert.Equal(first, _sender.Wire.Last());
    }

    [Fact]
    public void ResponsesAnsweredAlike_ShareOneForm()
    {
        for (var i = 0; i < 50; i++)
        {
            _layer.OnMessage(Incoming(Options(branch: "z9hG4bK-" + i, callId: "c" + i)));
            var tx = _user.Requests.Last();
            tx.Respond(WithCapabilities(tx.CreateResponse(200)));
        }

        Assert.Equal(50, _layer.CompletedTransactionCount);
        Assert.Equal(1, _layer.CompletedResponseForms);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("header before the copied ones")]
    [InlineData("copied header changed")]
    [InlineData("another To tag")]
    public void AResponseThatIsNotAPureFunctionOfTheRequest_KeepsItsBytes_AndIsResentAsSent(string change)
    {
        var request = Options();
        _layer.OnMessage(Incoming(request));
        var tx = Assert.Single(_user.Requests);
        var response = tx.CreateResponse(200);
        switch (change)
        {
            case "body":
                response.Headers.Add(HeaderNames.ContentType, "text/plain");
                response.Body = "hello"u8.ToArray();
                break;
            case "header before the copied ones":
                response.Headers.AddFirst("Warning", "399 agent \"first\"");
                break;
            case "copied header changed":
                response.Headers.Set(HeaderNames.CallId, "rewritten");
                break;
            default:
                response = tx.Request.CreateResponse(200, null, "not-the-local-tag");
                break;
        }

        tx.Respond(response);
        var first = _sender.Wire.Single();

        Assert.Equal(0, _layer.CompletedResponseForms);
        Assert.Equal(CompletedTransactions.RecordOverhead + CompletedTransactions.MergeKeyOverhead + first.Length, _layer.CompletedTransactionBytes);
        _time.Advance(TimeSpan.FromSeconds(30));
        _layer.OnMessage(Incoming(request));

        Assert.Equal(first, _sender.Wire.Last());
        Assert.Equal(0, _layer.RebuiltResponsesSent);
    }

    [Fact]
    public void PastTheBoundOnDistinctForms_ResponsesKeepTheirBytes()
    {
        for (var i = 0; i <= ResponseForms.MaxForms; i++)
        {
            _layer.OnMessage(Incoming(Options(branch: "z9hG4bK-" + i, callId: "c" + i)));
            var tx = _user.Requests.Last();
            tx.Respond(tx.CreateResponse(200, "OK " + i));
        }

        Assert.Equal(ResponseForms.MaxForms, _layer.CompletedResponseForms);
        _sender.Clear();
        _layer.OnMessage(Incoming(Options(branch: "z9hG4bK-" + ResponseForms.MaxForms, callId: "c" + ResponseForms.MaxForms)));

        Assert.Equal("OK " + ResponseForms.MaxForms, Assert.Single(_sender.Responses).ReasonPhrase);
        Assert.Equal(0, _layer.RebuiltResponsesSent);
    }

    [Fact]
    public void ARetransmissionWhoseHeadersDiffer_GetsAValidResponseToItself_SentToItsSource()
    {
        _layer.OnMessage(Incoming(Options()));
        var tx = Assert.Single(_user.Requests);
        tx.Respond(WithCapabilities(tx.CreateResponse(200)));
        _sender.Clear();

        // same branch, sent-by and method (so the same transaction, RFC 3261 §17.2.3), but another Call-ID, CSeq and
        // From tag, from another port of the peer
        var other = new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 6000));
        var odd = Options(callId: "other-call", cseq: 7, fromTag: "other-tag");
        _layer.OnMessage(Incoming(odd, other));

        var (message, target) = Assert.Single(_sender.Sent);
        var response = Assert.IsType<SipResponse>(message);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("other-call", response.CallId);
        Assert.Equal(new CSeqHeader(7, "OPTIONS"), response.CSeq);
        Assert.Equal("other-tag", response.From?.Tag);
        Assert.Equal(tx.LocalTag, response.To?.Tag);
        Assert.Equal("z9hG4bK-opt", response.TopVia?.Branch);
        Assert.Equal(ResponseRouting.GetResponseTarget(((SipRequest)SipParser.Parse(odd.ReplaceLineEndings("\r\n")).Message!).TopVia, other), target);
        Assert.Equal(Capabilities.Select(c => c.Value), Capabilities.Select(c => response.Headers[c.Name]));
        Assert.Single(_user.Requests);
    }

    [Fact]
    public void ARetransmittedMergedRequest_GetsIts482Again()
    {
        _layer.OnMessage(Incoming(Options(branch: "z9hG4bK-a")));
        var first = Assert.Single(_user.Requests);
        first.Respond(first.CreateResponse(200));
        var merged = Options(branch: "z9hG4bK-b");
        _layer.OnMessage(Incoming(merged));
        var rejected = _sender.Wire.Last();

        _time.Advance(TimeSpan.FromSeconds(20));
        _layer.OnMessage(Incoming(merged));

        Assert.Single(_user.Requests);
        Assert.Equal(482, _sender.Responses.Last().StatusCode);
        Assert.Equal(rejected, _sender.Wire.Last());
    }

    [Fact]
    public void TryCreate_RebuildsFromTheRequest_TheBytesItWasMadeFrom()
    {
        var request = (SipRequest)SipParser.Parse(Options().ReplaceLineEndings("\r\n")).Message!;
        var response = WithCapabilities(request.CreateResponse(405, null, "tag1"));
        var sent = response.ToBytes();

        var form = ResponseForm.TryCreate(request, response, "tag1", sent);

        Assert.NotNull(form);
        Assert.Equal(sent, form.Build(request, "tag1"));
        Assert.Null(ResponseForm.TryCreate(request, response, "tag2", sent)); // a To tag that would not give these bytes
        Assert.Null(ResponseForm.TryCreate(request, response, "tag1", sent.AsSpan(0, sent.Length - 2))); // bytes not sent from this response
    }

    private static readonly SipHeader[] Capabilities =
    [
        new(HeaderNames.Allow, "INVITE, ACK, CANCEL, BYE, OPTIONS"),
        new(HeaderNames.Accept, "application/sdp"),
        new(HeaderNames.Supported, ""),
        new(HeaderNames.Server, "gateway-agent test"),
    ];

    private static SipResponse WithCapabilities(SipResponse response)
    {
        foreach (var header in Capabilities)
        {
            response.Headers.Add(header.Name, header.Value);
        }

        return response;
    }

    private static string Options(string branch = "z9hG4bK-opt", string callId = "opt-1", int cseq = 1, string fromTag = "ft1") =>
        Invite(branch: branch, callId: callId, cseq: cseq, fromTag: fromTag, method: "OPTIONS");
}
