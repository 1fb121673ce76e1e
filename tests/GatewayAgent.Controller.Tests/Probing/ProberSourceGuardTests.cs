using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Probing.Support;
using GatewayAgent.Sip.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Probing;

/// <summary>
/// Issue 12 item 11: the prober's SIP socket is a listener too, so it gets the agent's source guard (the allow-list with
/// RejectMode, and the per-source rate limit before parsing). Real UDP sockets on loopback, bound to 127.0.0.x sources.
/// </summary>
[Collection(SippCollection.Name)]
[Trait("Ring", "integration")]
public sealed class ProberSourceGuardTests
{
    private static async Task<SipProbeDialer> StartDialerAsync(SourceGuardOptions sources, TimeProvider? time = null)
    {
        var dialer = new SipProbeDialer(
            Options.Create(new ProbingOptions()), time ?? TimeProvider.System, NullLoggerFactory.Instance, Options.Create(sources));
        await dialer.StartAsync(CancellationToken.None);
        return dialer;
    }

    private static IPEndPoint ProberEndPoint(SipProbeDialer dialer) => dialer.LocalEndPoints[0].EndPoint;

    private static Socket Bind(string address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return socket;
    }

    private static byte[] OptionsRequest(Socket from, IPEndPoint to, int n)
    {
        var local = (IPEndPoint)from.LocalEndPoint!;
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            OPTIONS sip:{to.Address}:{to.Port} SIP/2.0
            Via: SIP/2.0/UDP {local.Address}:{local.Port};branch=z9hG4bK-guard-{n}-{Guid.NewGuid():N}
            Max-Forwards: 70
            From: <sip:scanner@{local.Address}>;tag=s{n}
            To: <sip:prober@{to.Address}>
            Call-ID: guard-{n}-{Guid.NewGuid():N}
            CSeq: 1 OPTIONS
            Content-Length: 0


            """).ReplaceLineEndings("\r\n");
        return Encoding.ASCII.GetBytes(text);
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    [Fact]
    public async Task StrangersRequest_IsDropped_InDropMode_WhileAnAllowedSourceIsAnswered()
    {
        await using var dialer = await StartDialerAsync(new SourceGuardOptions { AllowedSources = ["127.0.0.1"], RejectMode = SourceRejectMode.Drop });
        using var stranger = Bind("127.0.0.2");
        using var allowed = Bind("127.0.0.1");
        var prober = ProberEndPoint(dialer);

        await stranger.SendToAsync(OptionsRequest(stranger, prober, 1), prober);
        await Wait.PollAsync(() => Task.FromResult(dialer.SourcesRefused), n => n == 1, Wait.DefaultBound, "the stranger's OPTIONS refused");
        await allowed.SendToAsync(OptionsRequest(allowed, prober, 2), prober);
        var answer = await ReceiveAsync(allowed);

        Assert.StartsWith("SIP/2.0 200", answer, StringComparison.Ordinal);
        // Without the guard the prober answered anyone's OPTIONS with a 200 (a reflector); the stranger's request was
        // handled before the allowed one's answer, so an answer to it would be here by now.
        Assert.Equal(0, stranger.Available);
    }

    [Fact]
    public async Task StrangersRequest_Gets403_InRejectMode()
    {
        await using var dialer = await StartDialerAsync(new SourceGuardOptions { AllowedSources = ["127.0.0.1"] });
        using var stranger = Bind("127.0.0.2");
        var prober = ProberEndPoint(dialer);

        await stranger.SendToAsync(OptionsRequest(stranger, prober, 1), prober);

        Assert.StartsWith("SIP/2.0 403", await ReceiveAsync(stranger), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneSource_BeyondItsBurst_IsDropped_BeforeParsing()
    {
        // The fake clock never advances: the bucket holds its burst and never refills.
        await using var dialer = await StartDialerAsync(new SourceGuardOptions { RateLimitPerSecond = 1, RateLimitBurst = 5 }, new FakeTimeProvider());
        using var flooder = Bind("127.0.0.3");
        var prober = ProberEndPoint(dialer);

        for (var i = 0; i < 20; i++)
        {
            await flooder.SendToAsync(OptionsRequest(flooder, prober, i), prober);
        }

        await Wait.PollAsync(() => Task.FromResult(dialer.RateLimited), n => n == 15, Wait.DefaultBound, "15 of 20 datagrams rate-limited");
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await ReceiveAsync(flooder));
        }

        Assert.All(answers, a => Assert.StartsWith("SIP/2.0 200", a, StringComparison.Ordinal));
        Assert.Equal(0, flooder.Available);
    }

    [Fact]
    public async Task TheOutboundProxy_CarryingEveryAnswer_IsExemptFromTheRateLimit_ADirectSiteIsNot()
    {
        Assert.True(SippSite.IsInstalled, "sipp (Debian sip-tester) is required");
        // One message per source and (in practice) no refill: a probe's answers (180, 200, the BYE's 200) need three.
        var sources = new SourceGuardOptions { RateLimitPerSecond = 0.001, RateLimitBurst = 1 };
        await using (var site = await SippSite.StartAsync("uas", calls: 1))
        await using (var dialer = await StartDialerAsync(sources))
        {
            var viaProxy = new ProbeTarget(1, $"sip:0312345678@127.0.0.1:{site.Port}", "0312345678", $"udp:127.0.0.1:{site.Port}", null, null);
            var result = await dialer.DialAsync(viaProxy, TimeSpan.FromSeconds(5), CancellationToken.None);

            Assert.Equal(ProbeOutcome.Reached, ProbeClassifier.Classify(result).Outcome);
            Assert.Equal(200, result.ByeStatus);
            Assert.Equal(0, dialer.RateLimited);
        }

        await using (var site = await SippSite.StartAsync("uas", calls: 1))
        await using (var dialer = await StartDialerAsync(sources))
        {
            var direct = new ProbeTarget(1, $"sip:0312345678@127.0.0.1:{site.Port}", "0312345678", null, null, null);
            var result = await dialer.DialAsync(direct, TimeSpan.FromSeconds(2), CancellationToken.None);

            Assert.NotEqual(200, result.FinalStatus);
            Assert.True(dialer.RateLimited > 0);
        }
    }
}
