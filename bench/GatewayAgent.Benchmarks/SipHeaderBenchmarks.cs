using BenchmarkDotNet.Attributes;
using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Benchmarks;

/// <summary>
/// The typed-header parsers on their own, with the sample INVITE's values. <see cref="Sip.Parsing.SipParser.Parse(ReadOnlySpan{byte})"/>
/// runs several of them eagerly (its validator parses every Via, From, To and Contact; the parser parses the top Via
/// once more), so these give the share of the INVITE parse that is typed-header work.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // the machine is shared: Min is the least disturbed figure
public class SipHeaderBenchmarks
{
    private const string Via = "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---4f1b2a9c77d2e3f1;rport";
    private const string From = "\"Probe\" <sip:monitor@192.0.2.10:5060>;tag=8a7f3c21";
    private const string Contact = "<sip:monitor@192.0.2.10:5060;transport=udp>";
    private const string RequestUri = "sip:0312345678@192.0.2.20:5060";

    [Benchmark]
    public ViaHeader ParseVia() => ViaHeader.TryParse(Via, out var via) ? via : throw new InvalidOperationException();

    [Benchmark]
    public NameAddress ParseFrom() => NameAddress.TryParse(From, out var a) ? a : throw new InvalidOperationException();

    [Benchmark]
    public NameAddress ParseContact() => NameAddress.TryParse(Contact, out var a) ? a : throw new InvalidOperationException();

    [Benchmark]
    public SipUri ParseRequestUri() => SipUri.TryParse(RequestUri, out var uri) ? uri : throw new InvalidOperationException();

    [Benchmark]
    public CSeqHeader ParseCSeq() => CSeqHeader.TryParse("1 INVITE", out var c) ? c : throw new InvalidOperationException();
}
