using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Answering;

/// <summary>Our UAC (the controller's prober) against the real agent: answered, cancelled, refused and unreachable probes.</summary>
[Trait("Ring", "integration")]
public sealed class ProbeCallerTests
{
    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public async Task Probe_IsAnswered_AndEndedWithBye(SipTransportKind kind)
    {
        await using var agent = await AgentProcess.StartAsync();
        await using var stack = await InProcessSipStack.StartAsync();

        var result = await stack.CallAsync(agent, kind: kind);

        Assert.Equal(200, result.FinalStatus);
        Assert.Null(result.ProvisionalStatus); // answered at once: the 200 alone, no 180 (docs/security.md)
        Assert.True(result.Rang);
        Assert.Equal(200, result.ByeStatus);
        Assert.StartsWith($"<sip:{AgentProcess.MonitorNumber}@127.0.0.1:{agent.Port}", result.AnsweredContact, StringComparison.Ordinal);
        await agent.WaitForLogAsync("probe.answered");
    }

    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public async Task Probe_OverIPv6_IsAnswered(SipTransportKind kind)
    {
        var port = FreePort.Next(IPAddress.IPv6Loopback);
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:Sip:Listen:0"] = $"udp:[::1]:{port}",
            ["Agent:Sip:Listen:1"] = $"tcp:[::1]:{port}",
        });
        await using var stack = await InProcessSipStack.StartAsync();

        var result = await stack.Caller.CallAsync(new ProbeCallRequest
        {
            Target = new SipTarget(kind, new IPEndPoint(IPAddress.IPv6Loopback, port)),
            RequestUri = SipUri.Parse($"sip:{AgentProcess.MonitorNumber}@[::1]:{port}"),
            Timeout = TimeSpan.FromSeconds(5),
        });

        Assert.Equal(200, result.FinalStatus);
        Assert.Equal(200, result.ByeStatus);
        await agent.WaitForLogAsync("source=" + (kind == SipTransportKind.Udp ? "udp" : "tcp") + ":[::1]");
    }

    [Fact]
    public async Task CancelOnRinging_EndsTheCallBeforeTheAnswer()
    {
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string> { ["Agent:Sip:AnswerDelay"] = "00:00:05" });
        await using var stack = await InProcessSipStack.StartAsync();

        var result = await stack.CallAsync(agent, cancelOnRinging: true);

        Assert.Equal(180, result.ProvisionalStatus);
        Assert.Equal(487, result.FinalStatus);
        Assert.True(result.Rang);
        Assert.Equal(0, agent.CountLog("probe.answered"));
    }

    [Fact]
    public async Task WrongNumber_Is404_AndDidNotRing()
    {
        await using var agent = await AgentProcess.StartAsync();
        await using var stack = await InProcessSipStack.StartAsync();

        var result = await stack.CallAsync(agent, number: "0399999999");

        Assert.Equal(404, result.FinalStatus);
        Assert.False(result.Rang);
    }

    [Fact]
    public async Task SilentSite_TimesOut_WithoutRinging()
    {
        await using var stack = await InProcessSipStack.StartAsync();
        using var silent = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;

        var result = await stack.Caller.CallAsync(new ProbeCallRequest
        {
            Target = new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, port)),
            RequestUri = SipUri.Parse($"sip:0312345678@127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(2),
        });

        Assert.Equal(408, result.FinalStatus);
        Assert.False(result.Rang);
        Assert.True(silent.Available > 0, "the INVITE was not sent");
    }
}
