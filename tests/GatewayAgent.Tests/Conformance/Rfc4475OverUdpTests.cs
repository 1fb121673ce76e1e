using System.Text;
using GatewayAgent.Tests.Support;
using Xunit.Abstractions;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// The RFC 4475 torture messages, byte for byte (but for the top Via's sent-by: see <see cref="TopViaRewriter"/>),
/// sent over UDP to the real agent: each gets what MANIFEST.tsv says a conforming UAS does, and the agent keeps
/// answering probe calls after the whole corpus.
/// </summary>
[Trait("Ring", "integration")]
public sealed class Rfc4475OverUdpTests : IClassFixture<Rfc4475AgentFixture>
{
    private readonly Rfc4475AgentFixture _fixture;
    private readonly ITestOutputHelper _output;

    public Rfc4475OverUdpTests(Rfc4475AgentFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public static TheoryData<string, string> Messages()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ConformanceCorpus.Manifest())
        {
            data.Add(row.Name, row.Class);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task Message_GetsTheAnswerTheManifestNames(string name, string @class)
    {
        var expected = Rfc4475Expectation.For(name, @class, ConformanceCorpus.Read(name));

        var result = await Rfc4475Exchange.RunAsync(_fixture.Agent, name, expected.Outcome);

        _output.WriteLine($"{name} ({@class}), expected {expected.Text}: got {result.Summary}");
        Assert.True(result.FenceAnswered, $"the agent did not answer the OPTIONS sent after {name} within {Rfc4475Exchange.AnswerTimeout}\n{result.Describe()}");
        switch (expected.Outcome)
        {
            case Rfc4475Outcome.Dropped:
                Assert.True(result.Responses.Count == 0, $"{name} must be dropped silently; got {result.Summary}\n{result.Describe()}");
                break;
            case Rfc4475Outcome.Answered:
                Assert.True(result.Finals.Any(), $"{name}: expected {expected.Text}; got {result.Summary}\n{result.Describe()}");
                break;
        }

        foreach (var final in result.Finals)
        {
            Assert.True(expected.Allows(final.StatusCode), $"{name}: expected {expected.Text}; got {final.StartLine}\n{result.Describe()}");
            if (expected.Check?.Invoke(final) is { } problem)
            {
                Assert.Fail($"{name}: {problem}\n{result.Describe()}");
            }
        }
    }

    /// <summary>
    /// invut's Request-URI names no monitoring number, so the agent may answer 404 before it looks at the body (RFC 3261
    /// §8.2.2.1 before §8.2.3). With the monitoring number as the Request-URI user, the unsupported body type must
    /// get 415 with an Accept header listing what is supported (RFC 3261 §21.4.13). The Call-ID changes too: the same
    /// Call-ID, From tag and CSeq as the byte-exact invut (which this agent may have had already) from another port would
    /// rightly be a merged request (482, RFC 3261 §8.2.2.2).
    /// </summary>
    [Fact]
    public async Task Invut_ToTheMonitoringNumber_Gets415WithAccept()
    {
        const string RequestLine = "INVITE sip:user@example.com SIP/2.0\r\n";
        const string CallId = "Call-ID: invut.0ha0isndaksdjadsfij34n23d\r\n";
        var original = Encoding.Latin1.GetString(ConformanceCorpus.Read("invut"));
        Assert.StartsWith(RequestLine, original, StringComparison.Ordinal);
        Assert.Contains(CallId, original, StringComparison.Ordinal);
        var text = $"INVITE sip:{AgentProcess.MonitorNumber}@example.com SIP/2.0\r\n" + original[RequestLine.Length..];
        var message = Encoding.Latin1.GetBytes(text.Replace(CallId, $"Call-ID: invut.monitoring-number.{Guid.NewGuid():N}\r\n", StringComparison.Ordinal));

        await using var peer = LoopbackUdpPeer.Open();
        await peer.SendAsync(TopViaRewriter.Rewrite(message, peer.Port), _fixture.Agent.EndPoint);
        var final = await ReceiveFinalAsync(peer, DateTime.UtcNow + Rfc4475Exchange.AnswerTimeout);

        Assert.NotNull(final);
        Assert.Equal(415, final.StatusCode);
        Assert.Contains("application/sdp", final["Accept"] ?? "", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The whole corpus, one message after another, to a fresh agent; then sipp's built-in uac places a probe call,
    /// which must succeed, and the agent must neither have exited nor logged an error (a handler that threw).
    /// </summary>
    [Fact]
    public async Task WholeCorpus_AgentKeepsAnsweringProbeCalls()
    {
        await using var agent = await AgentProcess.StartAsync();
        foreach (var (name, _, @class, _) in ConformanceCorpus.Manifest())
        {
            var expected = Rfc4475Expectation.For(name, @class, ConformanceCorpus.Read(name));
            var result = await Rfc4475Exchange.RunAsync(agent, name, expected.Outcome);
            _output.WriteLine($"{name}: {result.Summary}");
            Assert.False(agent.HasExited, $"the agent exited after {name}:\n{agent.Output}");
        }

        var sipp = await Sipp.RunAsync(["-sn", "uac", "-s", AgentProcess.MonitorNumber, $"127.0.0.1:{agent.Port}", "-m", "1", "-timeout", "20"]);

        Assert.True(sipp.ExitCode == 0 && sipp.Successful == 1, sipp.ToString());
        Assert.False(agent.HasExited, agent.Output);
        var errors = AgentLogLines.Errors(agent.Lines);
        Assert.True(errors.Count == 0, "the agent logged errors:\n" + string.Join('\n', errors));
    }

    private static async Task<WireMessage?> ReceiveFinalAsync(LoopbackUdpPeer peer, DateTime deadline)
    {
        while (await peer.ReceiveAsync(deadline) is { } datagram)
        {
            if (WireMessage.TryParse(datagram) is { IsFinal: true } final)
            {
                return final;
            }
        }

        return null;
    }
}
