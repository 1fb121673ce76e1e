using System.Globalization;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Tests.Routing;
using GatewayAgent.Domain.Accounts;
using Xunit.Abstractions;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>
/// SS-3 through the carrier edge: real kamailio (edge/kamailio/kamailio.cfg with IVR_HOP and ACCESS_NUMBER) routes the
/// access number to the controller's IVR and asserts the calling line in P-Asserted-Identity, replacing whatever the
/// caller claimed; in-dialog requests (ACK, INFO-free RFC 4733 call, the IVR's BYE) follow the edge's Record-Route.
/// </summary>
[Trait("Ring", "integration")]
public sealed class IvrThroughEdgeTests(ITestOutputHelper output)
{
    private const string ContractNumber = "0310000001";
    private const string SecondLine = "0330000001";

    private readonly InMemoryTemporaryPasswordIssuer _store = new([ContractNumber, SecondLine]);

    [Fact]
    public async Task ACallToTheAccessNumber_ThroughTheEdge_SetsThePassword_OfTheLineTheEdgeAsserted()
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var lab = await StartEdgeAsync(ivr);
        await using var caller = new ScriptedCaller(new(System.Net.IPAddress.Loopback, lab.Edge.Port), fromUser: SecondLine);

        // The caller's own P-Asserted-Identity (naming the contract number) is not believed: the edge replaces it.
        var ok = await caller.InviteAsync(IvrHarness.AccessNumber, $"<sip:{ContractNumber}@forged.example>");
        Assert.Equal(200, ok.StatusCode);
        await caller.SendSilenceAsync();
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit);
        await caller.PressAsync("2" + SecondLine + "#" + "31415926");
        await ivr.PromptAsync(caller, IvrPrompt.ConfirmPassword);
        await caller.PressAsync("31415926");

        var bye = await caller.ByeAsync(); // the IVR's BYE, back through the edge
        Assert.Equal(caller.CallId, bye.CallId);
        Assert.Equal([new IssuedPassword(SecondLine, AuthenticationUnit.Number, SecondLine, "31415926")], _store.Issued);
        await ivr.Log.WaitForAsync($"IVR call {caller.CallId}: prompt password-set");
        await ivr.Log.WaitForAsync($"calling line {SecondLine} asserted by udp:127.0.0.1:{lab.Edge.Port}");
    }

    [Fact]
    public async Task ACallerThatIsNoContractLine_ClaimingOneInItsOwnPAssertedIdentity_IsRefused403()
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var lab = await StartEdgeAsync(ivr);
        await using var caller = new ScriptedCaller(new(System.Net.IPAddress.Loopback, lab.Edge.Port), fromUser: "0399999999");

        var response = await caller.InviteAsync(IvrHarness.AccessNumber, $"<sip:{SecondLine}@forged.example>");

        Assert.Equal(403, response.StatusCode);
        Assert.Empty(_store.Issued);
        await ivr.Log.WaitForAsync("calling line 0399999999 is not a contract's number");
    }

    private static Task<EdgeLab> StartEdgeAsync(IvrHarness ivr) => EdgeLab.StartAsync(new Dictionary<string, string>
    {
        ["IVR_HOP"] = string.Create(CultureInfo.InvariantCulture, $"\"sip:127.0.0.1:{ivr.SipEndPoint.Port}\""),
        ["ACCESS_NUMBER"] = $"\"{IvrHarness.AccessNumber}\"",
    });
}
