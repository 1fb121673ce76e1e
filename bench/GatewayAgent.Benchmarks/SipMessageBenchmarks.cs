using System.Net;
using BenchmarkDotNet.Attributes;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Benchmarks;

/// <summary>The per-message cost of the SIP layer on the probe path: parse the INVITE, read its typed headers, write the 200 OK.</summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // the machine is shared: Min is the least disturbed figure
public class SipMessageBenchmarks
{
    private SipRequest _invite = null!;
    private SipResponse _ok = null!;
    private byte[] _answerSdp = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parsed = SipParser.Parse(ProbeMessages.Invite);
        if (!parsed.IsValid || parsed.Message is not SipRequest invite)
        {
            throw new InvalidOperationException($"the sample INVITE does not parse: {parsed}");
        }

        _invite = invite;
        var origin = SdpSessionOrigin.CreateRandom(IPAddress.Loopback);
        var answer = SdpAnswerer.CreateAnswer(invite.Body.Span, origin, IPAddress.Parse("192.0.2.20"), 30000);
        _answerSdp = SdpSerializer.SerializeToUtf8(answer.Answer ?? throw new InvalidOperationException(answer.Reason));
        _ok = CreateOk();
    }

    /// <summary>Start line, headers split into raw values, body framed by Content-Length, validation.</summary>
    [Benchmark(Baseline = true)]
    public SipParseResult ParseInvite() => SipParser.Parse(ProbeMessages.Invite);

    /// <summary>What the transaction layer and the UAS read from every INVITE: the typed Via, From, To and CSeq.</summary>
    [Benchmark]
    public int ParseInviteAndReadTypedHeaders()
    {
        var message = SipParser.Parse(ProbeMessages.Invite).Message!;
        var via = message.TopVia!;
        var from = message.From!;
        var to = message.To!;
        var cseq = message.CSeq!.Value;
        return via.Branch!.Length + from.Tag!.Length + (to.Tag is null ? 0 : 1) + (int)cseq.Number;
    }

    /// <summary>Writing a ready 200 OK (Via, From, To with tag, Call-ID, CSeq, Contact, Allow, Content-Type, SDP).</summary>
    [Benchmark]
    public byte[] Serialize200Ok() => _ok.ToBytes();

    /// <summary>Building the 200 OK from the request as the UAS does, then writing it.</summary>
    [Benchmark]
    public byte[] Create200OkAndSerialize() => CreateOk().ToBytes();

    private SipResponse CreateOk()
    {
        var ok = _invite.CreateResponse(200, null, "as7d9f0e1c");
        ok.Headers.Add(HeaderNames.Contact, "<sip:0312345678@192.0.2.20:5060;transport=udp>");
        ok.Headers.Add(HeaderNames.Allow, "INVITE, ACK, BYE, CANCEL, OPTIONS");
        ok.Headers.Add(HeaderNames.ContentType, "application/sdp");
        ok.Body = _answerSdp;
        return ok;
    }
}
