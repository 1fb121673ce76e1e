using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Probing.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Probing;

/// <summary>
/// A contract whose probe goes through an outbound proxy (issue 4: "the probe target, optionally via an outbound
/// proxy"): the real dialer, a real kamailio as the proxy (Probing/Kamailio/proxy.cfg) and a sipp site behind it.
/// </summary>
[Collection(SippCollection.Name)]
[Trait("Ring", "integration")]
public sealed class OutboundProxyTests
{
    private static string ProxyTemplate => Path.Combine(AppContext.BaseDirectory, "Probing", "Kamailio", "proxy.cfg");

    private static async Task<SipProbeDialer> StartDialerAsync()
    {
        var dialer = new SipProbeDialer(Options.Create(new ProbingOptions()), TimeProvider.System, NullLoggerFactory.Instance);
        await dialer.StartAsync(CancellationToken.None);
        return dialer;
    }

    private static ProbeTarget Target(int sitePort, int proxyPort) =>
        new(1, $"sip:0312345678@127.0.0.1:{sitePort}", "0312345678", $"udp:127.0.0.1:{proxyPort}", null, null);

    [Fact]
    public async Task ProbeThroughTheProxy_IsReached_AndItsAckAndByeFollowTheRecordRoute()
    {
        Assert.True(KamailioProcess.IsInstalled, "kamailio (Debian kamailio) is required");
        await using var proxy = await KamailioProcess.StartAsync(ProxyTemplate);
        await using var site = await SippSite.StartAsync("answer-record-route.xml", calls: 1);
        await using var dialer = await StartDialerAsync();

        var result = await dialer.DialAsync(Target(site.Port, proxy.Port), TimeSpan.FromSeconds(5), CancellationToken.None);
        var sipp = await site.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result is { Failure: ProbeDialFailure.None, FinalStatus: 200, ByeStatus: 200 }, $"{result}\n{proxy.Output}");
        Assert.Equal(ProbeOutcome.Reached, ProbeClassifier.Classify(result).Outcome);
        Assert.True(sipp is { ExitCode: 0, Successful: 1, Failed: 0 }, sipp.ToString());
        var relayed = proxy.Output;
        Assert.Contains($"relay INVITE sip:0312345678@127.0.0.1:{site.Port}", relayed);
        Assert.Contains("relay ACK ", relayed);
        Assert.Contains("relay BYE ", relayed);
    }

    [Fact]
    public async Task SilentSiteBehindTheProxy_IsATimeout_AndTheProbeIsCancelledThroughTheProxy()
    {
        await using var proxy = await KamailioProcess.StartAsync(ProxyTemplate);
        await using var site = await SippSite.StartAsync("silent.xml", calls: 1);
        await using var dialer = await StartDialerAsync();

        // The proxy's 100 Trying puts the INVITE in Proceeding: at the timeout the prober may, and does, CANCEL.
        var result = await dialer.DialAsync(Target(site.Port, proxy.Port), TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(ProbeDialFailure.Timeout, result.Failure);
        Assert.Equal(ProbeOutcome.Missed, ProbeClassifier.Classify(result).Outcome);
        Assert.Contains("relay CANCEL ", proxy.Output);
    }

    [Fact]
    public async Task ProxyDown_IsAMiss_EvenWhenTheSiteWouldAnswer()
    {
        await using var site = await SippSite.StartAsync("uas", calls: 1);
        await using var dialer = await StartDialerAsync();
        var deadProxy = FreePort.Next();

        var result = await dialer.DialAsync(Target(site.Port, deadProxy), TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.NotEqual(ProbeDialFailure.None, result.Failure);
        Assert.Equal(ProbeOutcome.Missed, ProbeClassifier.Classify(result).Outcome);
    }
}
