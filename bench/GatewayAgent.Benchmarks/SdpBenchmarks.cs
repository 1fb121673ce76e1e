using System.Net;
using BenchmarkDotNet.Attributes;
using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Benchmarks;

/// <summary>The offer/answer cost of one probe call: parse the offer, choose G.711, build and write the answer.</summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // the machine is shared: Min is the least disturbed figure
public class SdpBenchmarks
{
    private readonly IPAddress _local = IPAddress.Parse("192.0.2.20");
    private SdpSessionOrigin _origin = null!;

    [GlobalSetup]
    public void Setup()
    {
        _origin = SdpSessionOrigin.CreateRandom(_local);
        if (!CreateAnswer().IsAccepted)
        {
            throw new InvalidOperationException("the sample offer is not accepted");
        }
    }

    [Benchmark(Baseline = true)]
    public SdpSession ParseOffer() =>
        SdpParser.TryParse(ProbeMessages.SdpOfferBytes, out var session, out var error)
            ? session
            : throw new InvalidOperationException(error);

    /// <summary><see cref="SdpAnswerer.CreateAnswer(ReadOnlySpan{byte}, SdpSessionOrigin, IPAddress, int)"/>: parse + answer.</summary>
    [Benchmark]
    public SdpAnswerResult ParseAndAnswer() => CreateAnswer();

    /// <summary>Parse, answer, and write the answer as the 200 OK body.</summary>
    [Benchmark]
    public byte[] ParseAnswerAndSerialize() => SdpSerializer.SerializeToUtf8(CreateAnswer().Answer!);

    private SdpAnswerResult CreateAnswer() => SdpAnswerer.CreateAnswer(ProbeMessages.SdpOfferBytes, _origin, _local, 30000);
}
