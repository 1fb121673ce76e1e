using System.Net;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Domain.Accounts;
using Xunit.Abstractions;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>
/// SS-3 over SIP: whole calls to the controller's IVR (real UDP sockets on loopback, our SIP stack on both ends) by a
/// scripted caller that sends RFC 4733 events or SIP INFO, followed through the IVR's prompt log and the RTP it plays.
/// Only the account store is a test double.
/// </summary>
[Trait("Ring", "integration")]
public sealed class IvrCallTests(ITestOutputHelper output)
{
    private const string ContractNumber = "0310000001";
    private const string SecondLine = "0330000001";
    private const string Stranger = "0399999999";
    private static readonly string Pai = $"<sip:{SecondLine}@edge.example;user=phone>";

    private readonly InMemoryTemporaryPasswordIssuer _store = new([ContractNumber, SecondLine, "0320000001"]);

    [Theory]
    [InlineData("1", AuthenticationUnit.Line, ContractNumber)]
    [InlineData("2" + SecondLine + "#", AuthenticationUnit.Number, SecondLine)]
    [InlineData("3" + ContractNumber + "#", AuthenticationUnit.AdminUser, ContractNumber)]
    public async Task AWholeCall_SetsTheTemporaryPassword_PlaysPasswordSet_ThenTheIvrHangsUp(string unitKeys, AuthenticationUnit unit, string login)
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);

        var ok = await caller.InviteAsync(IvrHarness.AccessNumber, Pai);
        Assert.Equal(200, ok.StatusCode);
        await caller.SendSilenceAsync();
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit);
        await caller.PressAsync(unitKeys);
        await ivr.PromptAsync(caller, IvrPrompt.EnterPassword);
        await caller.PressAsync("20261203");
        await ivr.PromptAsync(caller, IvrPrompt.ConfirmPassword);
        await caller.PressAsync("20261203");

        await ivr.PromptAsync(caller, IvrPrompt.PasswordSet);
        var bye = await caller.ByeAsync();
        Assert.Equal(caller.CallId, bye.CallId);
        Assert.Equal([new IssuedPassword(SecondLine, unit, login, "20261203")], _store.Issued);
        // The whole "set, valid 24 hours" prompt reached the caller, from the port its SDP answer named.
        await caller.ReceivedAsync(IvrHarness.PromptByte(IvrPrompt.PasswordSet), IvrHarness.PromptPackets);
        Assert.All(caller.RtpSources, source => Assert.Equal(caller.IvrRtp, source));
        await ivr.Log.WaitForAsync($"IVR call {caller.CallId} ended: temporary password set");
        Assert.Equal(0, ivr.Service.ActiveCalls);
        Assert.DoesNotContain(ivr.Log.Lines, line => line.Contains("20261203", StringComparison.Ordinal)); // the password is never logged
    }

    [Fact]
    public async Task KeysBySipInfo_AreAcceptedToo()
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);

        Assert.Equal(200, (await caller.InviteAsync(IvrHarness.AccessNumber, Pai, telephoneEvent: false)).StatusCode);
        await caller.SendSilenceAsync();
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit);
        await caller.PressByInfoAsync("2" + SecondLine + "#" + "13572468" + "13572468");

        await caller.ByeAsync();
        Assert.Equal([new IssuedPassword(SecondLine, AuthenticationUnit.Number, SecondLine, "13572468")], _store.Issued);
        var notDtmf = await caller.InfoAsync("hello", "text/plain");
        Assert.Equal(481, notDtmf.StatusCode); // the call is over
    }

    [Fact]
    public async Task AnInfoThatIsNotDtmfRelay_IsRefused_AndTheCallGoesOn()
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);
        await caller.InviteAsync(IvrHarness.AccessNumber, Pai);
        await caller.SendSilenceAsync();
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit);

        Assert.Equal(415, (await caller.InfoAsync("Signal=1", "text/plain")).StatusCode);
        Assert.Equal(400, (await caller.InfoAsync("Signal=55")).StatusCode);
        Assert.Equal(200, (await caller.InfoAsync("Signal=1\r\nDuration=100")).StatusCode);
        await ivr.PromptAsync(caller, IvrPrompt.EnterPassword);
        Assert.Equal(200, (await caller.HangUpAsync()).StatusCode);
        await ivr.Log.WaitForAsync($"IVR call {caller.CallId} ended: the caller hung up");
    }

    [Fact]
    public async Task AMismatchedConfirmation_PlaysIncorrect_ThenTheSecondTryIsSet()
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);
        await caller.InviteAsync(IvrHarness.AccessNumber, Pai);
        await caller.SendSilenceAsync();
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit);

        await caller.PressAsync("1" + "11223344" + "11223345");
        await ivr.PromptAsync(caller, IvrPrompt.IncorrectPressAgain);
        await ivr.PromptAsync(caller, IvrPrompt.EnterPassword, count: 2);
        await ivr.Log.WaitForAsync($"IVR call {caller.CallId}: wrong entry 1 of 3: the confirmation differs");
        Assert.Empty(_store.Issued);

        await caller.PressAsync("55667788" + "55667788");
        await caller.ByeAsync();
        Assert.Equal("55667788", Assert.Single(_store.Issued).Digits);
    }

    [Fact]
    public async Task ThreeWrongEntries_PlayTooManyErrors_AndTheIvrHangsUp()
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);
        await caller.InviteAsync(IvrHarness.AccessNumber, Pai);
        await caller.SendSilenceAsync();
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit);

        await caller.PressAsync("9");
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit, count: 2);
        await caller.PressAsync("2" + Stranger + "#" + "12121212" + "12121212"); // not a number of the caller's contract
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit, count: 3);
        await caller.PressAsync("1" + "12345678" + "87654321");

        await ivr.PromptAsync(caller, IvrPrompt.TooManyErrors);
        await caller.ByeAsync();
        await caller.ReceivedAsync(IvrHarness.PromptByte(IvrPrompt.TooManyErrors), IvrHarness.PromptPackets);
        await ivr.Log.WaitForAsync($"IVR call {caller.CallId} ended: 3 wrong entries");
        Assert.Empty(_store.Issued);
    }

    [Fact]
    public async Task NoKeyWithinTheInterDigitTimeout_IsAWrongEntry()
    {
        // The menu's timeout on a fake clock is TemporaryPasswordMenuTests'; here the real call, with a short timeout.
        await using var ivr = await IvrHarness.StartAsync(output, _store, interDigitTimeout: TimeSpan.FromMilliseconds(300));
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);
        await caller.InviteAsync(IvrHarness.AccessNumber, Pai);
        await caller.SendSilenceAsync();

        await ivr.Log.WaitForAsync($"IVR call {caller.CallId}: wrong entry 3 of 3: no key within 0.3 s");
        await caller.ByeAsync();
        Assert.Empty(_store.Issued);
    }

    [Fact]
    public async Task ARequestFromAnUntrustedSource_IsRefused403_AndTheStoreIsNotAsked()
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint, IPAddress.Parse("127.0.0.5"));

        var response = await caller.InviteAsync(IvrHarness.AccessNumber, Pai);

        Assert.Equal(403, response.StatusCode);
        Assert.Equal(0, _store.Questions);
        Assert.Equal(0, ivr.Service.ActiveCalls);
    }

    [Theory]
    [InlineData("<sip:0399999999@edge.example>", "Not a contract line")]
    [InlineData(null, "No asserted identity")]
    public async Task ATrustedEdgeAssertingNoContractLine_IsRefused403(string? pai, string reason)
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);

        var response = await caller.InviteAsync(IvrHarness.AccessNumber, pai);

        Assert.Equal(403, response.StatusCode);
        Assert.Equal(reason, response.ReasonPhrase);
        await ivr.Log.WaitForAsync($"refused with 403");
        Assert.Equal(0, ivr.Service.ActiveCalls);
    }

    [Fact]
    public async Task AnotherNumber_Gets404()
    {
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);

        Assert.Equal(404, (await caller.InviteAsync("0120000000", Pai)).StatusCode);
    }

    [Fact]
    public async Task AStrangersRtp_IsNeitherLatchedNorReadForKeys_NorSentPrompts()
    {
        // Symmetric RTP (docs/security.md): RTP from another address than the edge's is not the caller's.
        await using var ivr = await IvrHarness.StartAsync(output, _store);
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);
        await caller.InviteAsync(IvrHarness.AccessNumber, Pai);
        await using var stranger = new ScriptedCaller(ivr.SipEndPoint, IPAddress.Parse("127.0.0.9"));
        stranger.UseMediaOf(caller);

        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit);
        await stranger.PressAsync("9"); // a wrong key, were it read
        await caller.SendSilenceAsync();
        await caller.ReceivedAsync(IvrHarness.PromptByte(IvrPrompt.ChooseUnit), IvrHarness.PromptPackets);

        Assert.Empty(stranger.RtpReceived);
        Assert.DoesNotContain(ivr.Log.Lines, line => line.Contains("wrong entry", StringComparison.Ordinal));
        await caller.PressAsync("1");
        await ivr.PromptAsync(caller, IvrPrompt.EnterPassword);
    }
}
