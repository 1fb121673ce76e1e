using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Answering;

/// <summary>
/// Our sipp scenarios (tests/GatewayAgent.Tests/Scenarios) against the real agent, over UDP and TCP. Each scenario
/// checks the agent's answers itself and fails the call otherwise; sipp exits 0 only when every call passed.
/// </summary>
[Trait("Ring", "integration")]
public sealed class SippScenarioTests
{
    private static Task<SippResult> Run(AgentProcess agent, string scenario, string transport, params string[] extra) =>
        Sipp.RunAsync(["-sf", Sipp.ScenarioPath(scenario), "-s", AgentProcess.MonitorNumber, $"127.0.0.1:{agent.Port}",
            "-t", transport, "-timeout", "30s", "-timeout_error", .. extra.Contains("-m") ? extra : ["-m", "1", .. extra]]);

    private static void AssertPassed(SippResult result, int calls = 1)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(calls, result.Successful);
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task Options_Gets200WithAllow(string transport)
    {
        await using var agent = await AgentProcess.StartAsync();
        AssertPassed(await Run(agent, "options.xml", transport));
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task CancelBeforeAnswer_Gets487(string transport)
    {
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string> { ["Agent:Sip:AnswerDelay"] = "00:00:03" });
        AssertPassed(await Run(agent, "cancel.xml", transport));
        Assert.Equal(0, agent.CountLog("probe.answered"));
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task WrongNumber_Gets404(string transport)
    {
        await using var agent = await AgentProcess.StartAsync();
        var result = await Sipp.RunAsync(["-sf", Sipp.ScenarioPath("wrong-number.xml"), "-s", "0399999999", $"127.0.0.1:{agent.Port}",
            "-t", transport, "-m", "1", "-timeout", "30s", "-timeout_error"]);
        AssertPassed(result);
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task UnknownRequire_Gets420WithUnsupported(string transport)
    {
        await using var agent = await AgentProcess.StartAsync();
        AssertPassed(await Run(agent, "unknown-require.xml", transport));
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task ReInvite_IsAnsweredInTheSameDialog(string transport)
    {
        await using var agent = await AgentProcess.StartAsync();
        AssertPassed(await Run(agent, "reinvite.xml", transport));
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task MaxCallDuration_AgentSendsBye(string transport)
    {
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string> { ["Agent:Sip:MaxCallDuration"] = "00:00:02" });
        AssertPassed(await Run(agent, "agent-bye.xml", transport));
        await agent.WaitForLogAsync("maximum call duration");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("00:00:01")]
    public async Task RetransmittedInvite_GetsOneAnswer_AndOneDialog(string answerDelay)
    {
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string> { ["Agent:Sip:AnswerDelay"] = answerDelay == "0" ? "00:00:00" : answerDelay });

        // One call first, so the scenario's 100 ms retransmission timer races a warm agent, not its first JIT.
        AssertPassed(await Sipp.RunAsync(["-sn", "uac", "-s", AgentProcess.MonitorNumber, $"127.0.0.1:{agent.Port}", "-m", "1", "-timeout", "30"]));
        await agent.WaitForLogAsync("probe.answered");

        AssertPassed(await Run(agent, "retransmit.xml", "u1"));
        await agent.WaitForLogAsync("probe.answered", 2);
        Assert.Equal(2, agent.CountLog("probe.answered"));
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task ChannelLimit_ExtraCallGets486(string transport)
    {
        // FN-11: two channels; two held calls occupy them, the third INVITE is busy.
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string> { ["Agent:Sip:Channels"] = "2" });
        var hold = Run(agent, "hold-call.xml", transport, "-d", "4000", "-m", "2", "-l", "2", "-r", "2");
        await agent.WaitForLogAsync("probe.answered", 2);

        var busy = await Run(agent, "busy.xml", transport);

        AssertPassed(busy);
        AssertPassed(await hold, 2);
    }
}
