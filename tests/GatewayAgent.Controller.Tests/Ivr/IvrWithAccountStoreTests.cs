using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Tests.Storage;
using GatewayAgent.Domain.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>
/// SS-3 end to end in the controller: a whole IVR call sets the temporary password in the real account store (the
/// settings site's, on SQLite), and the settings site's login accepts it and forces a change (SS-4).
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class IvrWithAccountStoreTests(PostgresCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task APasswordSetByPhone_LogsInOnTheSite_AndMustBeChanged()
    {
        await using var harness = await ControllerHarness.CreateAsync(Storage.Backends.Sqlite, cluster, configure: services => services.AddPortalAccounts());
        await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None); // 0312345678, 0312345679, 0312345670
        var store = harness.Services.GetRequiredService<PortalAccountStore>();
        await using var ivr = await IvrHarness.StartAsync(output, harness.Services.GetRequiredService<ITemporaryPasswordIssuer>());
        await using var caller = new ScriptedCaller(ivr.SipEndPoint);

        Assert.Equal(200, (await caller.InviteAsync(IvrHarness.AccessNumber, "<sip:0312345679@edge.example;user=phone>")).StatusCode);
        await caller.SendSilenceAsync();
        await ivr.PromptAsync(caller, IvrPrompt.ChooseUnit);
        await caller.PressAsync("1");
        await ivr.PromptAsync(caller, IvrPrompt.EnterPassword);
        await caller.PressAsync("48151623");
        await ivr.PromptAsync(caller, IvrPrompt.ConfirmPassword);
        await caller.PressAsync("48151623");
        await ivr.PromptAsync(caller, IvrPrompt.PasswordSet);
        await caller.ByeAsync();

        // line unit (SS-1): the contract number logs in, with the password keyed from an additional line of the contract
        var login = await store.LoginAsync("0312345678", "48151623", CancellationToken.None);
        Assert.True(login.Succeeded);
        Assert.Equal(AuthenticationUnit.Line, login.Account!.Unit);
        Assert.Equal(PasswordChangeReason.Temporary, login.MustChange);
        Assert.False((await store.LoginAsync("0312345678", "48151624", CancellationToken.None)).Succeeded);
    }
}
