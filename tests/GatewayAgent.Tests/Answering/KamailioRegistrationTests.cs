using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Answering;

/// <summary>
/// The agent registers to a real kamailio registrar with digest authentication, and a probe sent to its
/// address-of-record through kamailio reaches the agent and is answered.
/// </summary>
[Trait("Ring", "integration")]
public sealed class KamailioRegistrationTests
{
    private const string Password = "s3cret-pw";

    /// <summary>The one user the registrar template (Kamailio/kamailio.cfg) lets register.</summary>
    private const string RegistrarUser = "agent1";

    private static Task<KamailioProcess> StartRegistrarAsync() =>
        KamailioProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Kamailio", "kamailio.cfg"), new Dictionary<string, string> { ["@PASSWORD@"] = Password });

    private static Task<AgentProcess> StartRegisteredAgentAsync(KamailioProcess kamailio, string password) =>
        AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:Sip:Register:Registrar"] = $"udp:127.0.0.1:{kamailio.Port}",
            ["Agent:Sip:Register:User"] = RegistrarUser,
            ["Agent:Sip:Register:Password"] = password,
            ["Agent:Sip:Register:Domain"] = "gateway.test",
            ["Agent:Sip:Register:ContactUser"] = AgentProcess.MonitorNumber,
            ["Agent:Sip:Register:Expiry"] = "00:01:00",
            ["Agent:Sip:Register:RetryMin"] = "00:00:01",

            // kamailio relays with two worker processes, which can swap a 180 and a 200 sent back to back;
            // hold-call.xml wants them in order.
            ["Agent:Sip:AnswerDelay"] = "00:00:00.200",
        });

    [Fact]
    public async Task Agent_Registers_AndAProbeThroughKamailioIsAnswered()
    {
        await using var kamailio = await StartRegistrarAsync();
        await using var agent = await StartRegisteredAgentAsync(kamailio, Password);
        await agent.WaitForLogAsync("sip.registered", timeout: TimeSpan.FromSeconds(10));

        await using var prober = await InProcessSipStack.StartAsync();
        var result = await prober.Caller.CallAsync(new ProbeCallRequest
        {
            Target = new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, kamailio.Port)),
            RequestUri = SipUri.Parse($"sip:{RegistrarUser}@gateway.test"),
            Timeout = TimeSpan.FromSeconds(5),
        });

        Assert.True(result.FinalStatus == 200, $"probe through kamailio got {result.FinalStatus}\n{kamailio.Output}\n{agent.Output}");
        Assert.True(result.ByeStatus == 200, $"BYE got {result.ByeStatus}\n{kamailio.Output}");
        await agent.WaitForLogAsync("probe.answered");
        Assert.Contains($"number={AgentProcess.MonitorNumber}", agent.Output);
    }

    [Fact]
    public async Task Sipp_ProbeThroughKamailio_IsAnswered()
    {
        await using var kamailio = await StartRegistrarAsync();
        await using var agent = await StartRegisteredAgentAsync(kamailio, Password);
        await agent.WaitForLogAsync("sip.registered", timeout: TimeSpan.FromSeconds(10));

        // hold-call.xml follows the route set kamailio records (sipp's built-in uac ignores Record-Route, and
        // kamailio refuses in-dialog requests that do not come back through it).
        var result = await Sipp.RunAsync(["-sf", Sipp.ScenarioPath("hold-call.xml"), "-s", RegistrarUser, $"127.0.0.1:{kamailio.Port}",
            "-d", "500", "-m", "5", "-l", "1", "-timeout", "20s", "-timeout_error"]);

        Assert.True(result.ExitCode == 0, result.ToString() + "\n" + kamailio.Output);
        Assert.Equal(5, result.Successful);
    }

    [Fact]
    public async Task WrongPassword_IsReported_AndRetried()
    {
        await using var kamailio = await StartRegistrarAsync();
        await using var agent = await StartRegisteredAgentAsync(kamailio, "wrong");

        await agent.WaitForLogAsync("sip.unregistered", count: 2, timeout: TimeSpan.FromSeconds(15));

        Assert.Contains("credentials rejected", agent.Output);
        Assert.Equal(0, agent.CountLog("sip.registered "));
        Assert.Contains("Registration retry in", agent.Output);
    }
}
