using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Answering;

/// <summary>sipp's built-in uac scenario against the real agent: every probe call succeeds.</summary>
[Trait("Ring", "integration")]
public sealed class SippUacTests
{
    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task BuiltInUac_EveryCallSucceeds(string transport)
    {
        // Up to 10 calls at once: the site has channels enough for them (FN-11).
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string> { ["Agent:Sip:Channels"] = "20" });

        var result = await Sipp.RunAsync(["-sn", "uac", "-s", AgentProcess.MonitorNumber, $"127.0.0.1:{agent.Port}",
            "-t", transport, "-m", "50", "-r", "25", "-l", "10", "-timeout", "30"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(50, result.Successful);
        Assert.Equal(0, result.Failed);
        await agent.WaitForLogAsync("probe.answered", 50);
    }
}
