using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Probing.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Probing;

/// <summary>The real dialer (ProbeCaller over our SIP stack) against sipp sites on loopback: outcome and clean ending.</summary>
[Collection(SippCollection.Name)]
[Trait("Ring", "integration")]
public sealed class SipProbeDialerTests
{
    private static async Task<SipProbeDialer> StartDialerAsync(ProbingOptions? options = null)
    {
        var dialer = new SipProbeDialer(Options.Create(options ?? new ProbingOptions()), TimeProvider.System, NullLoggerFactory.Instance);
        await dialer.StartAsync(CancellationToken.None);
        return dialer;
    }

    private static ProbeTarget Target(SippSite site, string number = "0312345678") =>
        new(1, $"sip:{number}@127.0.0.1:{site.Port}", number, null, null, null);

    [Fact]
    public async Task AnsweringSite_IsReached_AndTheCallEndsWithAckAndBye()
    {
        Assert.True(SippSite.IsInstalled, "sipp (Debian sip-tester) is required");
        await using var site = await SippSite.StartAsync("uas", calls: 1);
        await using var dialer = await StartDialerAsync();

        var result = await dialer.DialAsync(Target(site), TimeSpan.FromSeconds(5), CancellationToken.None);
        var sipp = await site.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ProbeDialFailure.None, result.Failure);
        Assert.Equal(180, result.ProvisionalStatus);
        Assert.Equal(200, result.FinalStatus);
        Assert.Equal(200, result.ByeStatus);
        Assert.NotNull(result.SetupTime);
        var classification = ProbeClassifier.Classify(result);
        Assert.Equal(ProbeOutcome.Reached, classification.Outcome);
        Assert.True(sipp is { ExitCode: 0, Successful: 1, Failed: 0 }, sipp.ToString());
    }

    [Fact]
    public async Task AnsweredProbe_IsReached_WithinTheTimeout_EvenWhenItsByeIsNeverAnswered()
    {
        await using var site = await SippSite.StartAsync("answer-ignore-bye.xml", calls: 1);
        await using var dialer = await StartDialerAsync();
        var timeout = TimeSpan.FromSeconds(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await dialer.DialAsync(Target(site), timeout, CancellationToken.None);

        // The scheduler gives a dial Timeout + DialGrace; a BYE waited for until Timer F (32 s) would have been cut
        // there and recorded as a timeout: a false miss for a site that answered.
        Assert.True(clock.Elapsed < timeout + TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal(200, result.FinalStatus);
        Assert.Null(result.ByeStatus);
        Assert.Equal(ProbeOutcome.Reached, ProbeClassifier.Classify(result).Outcome);
        var sipp = await site.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(sipp is { ExitCode: 0, Successful: 1, Failed: 0 }, sipp.ToString());
    }

    [Theory]
    [InlineData("busy.xml", 486, ProbeOutcome.Reached)]
    [InlineData("not-found.xml", 404, ProbeOutcome.Missed)]
    [InlineData("unavailable.xml", 480, ProbeOutcome.Missed)]
    [InlineData("server-error.xml", 503, ProbeOutcome.Missed)]
    public async Task RefusingSite_IsClassified_AndTheRefusalIsAcked(string scenario, int status, ProbeOutcome expected)
    {
        await using var site = await SippSite.StartAsync(scenario, calls: 1);
        await using var dialer = await StartDialerAsync();

        var result = await dialer.DialAsync(Target(site), TimeSpan.FromSeconds(5), CancellationToken.None);
        var sipp = await site.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ProbeDialFailure.None, result.Failure);
        Assert.Equal(status, result.FinalStatus);
        Assert.Equal(expected, ProbeClassifier.Classify(result).Outcome);
        Assert.True(sipp is { ExitCode: 0, Successful: 1, Failed: 0 }, sipp.ToString());
    }

    [Fact]
    public async Task SilentSite_IsATimeout_WithoutCancel()
    {
        await using var site = await SippSite.StartAsync("silent.xml", calls: 1);
        await using var dialer = await StartDialerAsync();

        var result = await dialer.DialAsync(Target(site), TimeSpan.FromSeconds(1), CancellationToken.None);
        var sipp = await site.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ProbeDialFailure.Timeout, result.Failure);
        Assert.Equal(new ProbeClassification(ProbeOutcome.Missed, null, "timeout"), ProbeClassifier.Classify(result));
        Assert.True(sipp is { ExitCode: 0, Successful: 1, Failed: 0 }, sipp.ToString());
    }

    [Fact]
    public async Task SiteThatOnlySaysTrying_IsATimeout_AndIsCancelled()
    {
        await using var site = await SippSite.StartAsync("trying-no-answer.xml", calls: 1);
        await using var dialer = await StartDialerAsync();

        var result = await dialer.DialAsync(Target(site), TimeSpan.FromSeconds(1), CancellationToken.None);
        var sipp = await site.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ProbeDialFailure.Timeout, result.Failure);
        Assert.Equal(ProbeOutcome.Missed, ProbeClassifier.Classify(result).Outcome);
        Assert.True(sipp is { ExitCode: 0, Successful: 1, Failed: 0 }, sipp.ToString()); // CANCEL, 200, 487, ACK
    }

    [Fact]
    public async Task RingingSite_IsReached_AndCancelledAtTheTimeout()
    {
        await using var site = await SippSite.StartAsync("ring-no-answer.xml", calls: 1);
        await using var dialer = await StartDialerAsync();

        var result = await dialer.DialAsync(Target(site), TimeSpan.FromSeconds(1), CancellationToken.None);
        var sipp = await site.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(180, result.ProvisionalStatus);
        Assert.Equal(ProbeOutcome.Reached, ProbeClassifier.Classify(result).Outcome);
        Assert.True(sipp is { ExitCode: 0, Successful: 1, Failed: 0 }, sipp.ToString());
    }

    [Fact]
    public async Task EndOnRinging_CancelsAtTheFirst180()
    {
        await using var site = await SippSite.StartAsync("ring-no-answer.xml", calls: 1);
        await using var dialer = await StartDialerAsync(new ProbingOptions { EndOnRinging = true });

        var result = await dialer.DialAsync(Target(site), TimeSpan.FromSeconds(10), CancellationToken.None);
        var sipp = await site.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ProbeDialFailure.None, result.Failure);
        Assert.Equal(180, result.ProvisionalStatus);
        Assert.Equal(487, result.FinalStatus);
        Assert.True(result.SetupTime < TimeSpan.FromSeconds(5));
        Assert.Equal(ProbeOutcome.Reached, ProbeClassifier.Classify(result).Outcome);
        Assert.True(sipp is { ExitCode: 0, Successful: 1, Failed: 0 }, sipp.ToString());
    }

    [Fact]
    public async Task ClosedPort_IsAMiss()
    {
        await using var dialer = await StartDialerAsync();
        var port = FreePort.Next(); // nobody listens: ICMP port unreachable, or nothing at all

        var result = await dialer.DialAsync(new ProbeTarget(1, $"sip:0312345678@127.0.0.1:{port}", "0312345678", null, null, null),
            TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.NotEqual(ProbeDialFailure.None, result.Failure);
        Assert.Equal(ProbeOutcome.Missed, ProbeClassifier.Classify(result).Outcome);
    }
}
