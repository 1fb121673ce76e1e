using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Tests.Storage;
using GatewayAgent.Domain.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Accounts;

/// <summary>The settings site's accounts on a real database (SQLite, and PostgreSQL when installed): SS-1, SS-3 – SS-6, SS-10.</summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class PortalAccountStoreTests(PostgresCluster cluster)
{
    private const string Contract = "0312345678";
    private const string Additional = "0312345679";
    private const string Temporary = "58203914";
    private const string Password = "Gw7kPq2x9Z";

    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_temporary_password_logs_in_forces_a_change_and_the_new_password_works_SS_3_SS_4_SS_10(string backend)
    {
        await using var harness = await CreateAsync(backend);
        var store = Store(harness);

        Assert.Null(await Issuer(harness).IssueAsync("03-1234-5679", AuthenticationUnit.Line, null, Temporary, CancellationToken.None));
        var login = await store.LoginAsync(Contract, Temporary, CancellationToken.None);

        Assert.True(login.Succeeded);
        Assert.Equal(PasswordChangeReason.Temporary, login.MustChange);
        Assert.Equal(AuthenticationUnit.Line, login.Account!.Unit);
        var changed = await store.ChangePasswordAsync(
            new PasswordChange(Contract, Contract, Temporary, Password, Password, login.Account.RowVersion), CancellationToken.None);
        Assert.Equal(PasswordChangeOutcome.Changed, changed.Outcome);

        Assert.False((await store.LoginAsync(Contract, Temporary, CancellationToken.None)).Succeeded); // the temporary one is spent
        var again = await store.LoginAsync(Contract, Password, CancellationToken.None);
        Assert.True(again.Succeeded);
        Assert.Null(again.MustChange);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_IVR_serves_only_contract_lines_and_their_own_numbers_SS_3(string backend)
    {
        await using var harness = await CreateAsync(backend);
        await harness.Contracts.CreateAsync(ContractSamples.Monitored("06123"), CancellationToken.None);
        var issuer = Issuer(harness);

        Assert.True(await issuer.IsContractLineAsync(Additional, CancellationToken.None));
        Assert.False(await issuer.IsContractLineAsync("0399999999", CancellationToken.None));
        Assert.NotNull(await issuer.IssueAsync("0399999999", AuthenticationUnit.Line, null, Temporary, CancellationToken.None));
        Assert.NotNull(await issuer.IssueAsync(Contract, AuthenticationUnit.Number, "0612345679", Temporary, CancellationToken.None));
        Assert.NotNull(await issuer.IssueAsync(Contract, AuthenticationUnit.Number, Additional, "1234567", CancellationToken.None));
        Assert.NotNull(await issuer.IssueAsync(Contract, AuthenticationUnit.Number, "abc", Temporary, CancellationToken.None));

        Assert.Null(await issuer.IssueAsync(Contract, AuthenticationUnit.Number, "03-1234-5679", Temporary, CancellationToken.None));
        var login = await Store(harness).LoginAsync(Additional, Temporary, CancellationToken.None);
        Assert.Equal(AuthenticationUnit.Number, login.Account!.Unit);
        Assert.False(login.Account.CanManageContractSettings);
        Assert.Null(await Store(harness).FindAsync("0612345679", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Ten_wrong_passwords_invalidate_the_password_across_a_restart_until_a_new_temporary_password_SS_6(string backend)
    {
        await using var harness = await CreateAsync(backend);
        await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract);

        for (var i = 0; i < LockoutRules.MaxWrongPasswords - 1; i++)
        {
            Assert.False((await Store(harness).LoginAsync(Contract, "wrong" + i + "x9Z", CancellationToken.None)).Succeeded);
        }

        await harness.RestartAsync(); // the count is in the database, not in a node's memory
        Assert.True((await Store(harness).LoginAsync(Contract, Password, CancellationToken.None)).Succeeded); // 9 wrong then right: reset

        for (var i = 0; i < LockoutRules.MaxWrongPasswords; i++)
        {
            Assert.False((await Store(harness).LoginAsync(Contract, "wrong" + i + "x9Z", CancellationToken.None)).Succeeded);
        }

        await harness.RestartAsync();
        Assert.False((await Store(harness).LoginAsync(Contract, Password, CancellationToken.None)).Succeeded);
        Assert.True((await Store(harness).FindAsync(Contract, CancellationToken.None))!.PasswordInvalidated);

        Assert.Null(await Issuer(harness).IssueAsync(Contract, AuthenticationUnit.Line, null, Temporary, CancellationToken.None));
        Assert.Equal(PasswordChangeReason.Temporary, (await Store(harness).LoginAsync(Contract, Temporary, CancellationToken.None)).MustChange);
        var audit = await harness.Services.GetRequiredService<SettingsAuditLog>().ListAsync(
            (await Store(harness).FindAsync(Contract, CancellationToken.None))!.ContractId, 10, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "credentials.invalidated" && e.Target == Contract && e.Actor == "system");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Three_wrong_temporary_passwords_invalidate_it_SS_6(string backend)
    {
        await using var harness = await CreateAsync(backend);
        Assert.Null(await Issuer(harness).IssueAsync(Contract, AuthenticationUnit.Line, null, Temporary, CancellationToken.None));

        for (var i = 0; i < LockoutRules.MaxWrongTemporaryPasswords; i++)
        {
            Assert.False((await Store(harness).LoginAsync(Contract, "1111222" + i, CancellationToken.None)).Succeeded);
        }

        Assert.False((await Store(harness).LoginAsync(Contract, Temporary, CancellationToken.None)).Succeeded);
        Assert.True((await Store(harness).FindAsync(Contract, CancellationToken.None))!.TemporaryInvalidated);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_temporary_password_older_than_24_hours_is_refused_SS_6(string backend)
    {
        await using var harness = await CreateAsync(backend);
        Assert.Null(await Issuer(harness).IssueAsync(Contract, AuthenticationUnit.Line, null, Temporary, CancellationToken.None));

        harness.Time.Advance(LockoutRules.TemporaryPasswordValidity - TimeSpan.FromSeconds(1));
        Assert.True((await Store(harness).LoginAsync(Contract, Temporary, CancellationToken.None)).Succeeded);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False((await Store(harness).LoginAsync(Contract, Temporary, CancellationToken.None)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_password_older_than_60_days_forces_a_change_SS_5(string backend)
    {
        await using var harness = await CreateAsync(backend);
        await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract);

        harness.Time.Advance(PasswordPolicy.Validity);
        var login = await Store(harness).LoginAsync(Contract, Password, CancellationToken.None);
        Assert.True(login.Succeeded);
        Assert.Equal(PasswordChangeReason.Expired, login.MustChange);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_change_from_an_older_form_is_refused_SS_11(string backend)
    {
        await using var harness = await CreateAsync(backend);
        var shown = await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract);

        var first = await Store(harness).ChangePasswordAsync(
            new PasswordChange(Contract, Contract, Password, "Hq4mTz8wR2", "Hq4mTz8wR2", shown.RowVersion), CancellationToken.None);
        var second = await Store(harness).ChangePasswordAsync(
            new PasswordChange(Contract, Contract, "Hq4mTz8wR2", "Jr5nUa9xS3", "Jr5nUa9xS3", shown.RowVersion), CancellationToken.None);

        Assert.Equal(PasswordChangeOutcome.Changed, first.Outcome);
        Assert.Equal(PasswordChangeOutcome.Stale, second.Outcome);
        Assert.True((await Store(harness).LoginAsync(Contract, "Hq4mTz8wR2", CancellationToken.None)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_change_checks_the_current_password_the_confirmation_and_the_rules_SS_10_SS_5(string backend)
    {
        await using var harness = await CreateAsync(backend);
        var shown = await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract);
        var store = Store(harness);

        Assert.Equal(PasswordChangeOutcome.WrongCurrentPassword, (await store.ChangePasswordAsync(
            new PasswordChange(Contract, Contract, "notmine9Z", "Hq4mTz8wR2", "Hq4mTz8wR2", shown.RowVersion), CancellationToken.None)).Outcome);
        Assert.Equal(PasswordChangeOutcome.ConfirmationMismatch, (await store.ChangePasswordAsync(
            new PasswordChange(Contract, Contract, Password, "Hq4mTz8wR2", "Hq4mTz8wR3", shown.RowVersion), CancellationToken.None)).Outcome);
        var same = await store.ChangePasswordAsync(
            new PasswordChange(Contract, Contract, Password, Password, Password, shown.RowVersion), CancellationToken.None);
        Assert.Equal(PasswordChangeOutcome.PolicyBreached, same.Outcome);
        Assert.Equal([PasswordBreach.SameAsCurrent], same.Breaches);
        var number = await store.ChangePasswordAsync(
            new PasswordChange(Contract, Contract, Password, "a" + Contract, "a" + Contract, shown.RowVersion), CancellationToken.None);
        Assert.Contains(PasswordBreach.ContainsPhoneNumber, number.Breaches);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_admin_changes_a_users_password_and_a_user_cannot_change_the_admins_SS_10(string backend)
    {
        await using var harness = await CreateAsync(backend);
        await WithPasswordAsync(harness, AuthenticationUnit.AdminUser, Contract);
        var user = await WithPasswordAsync(harness, AuthenticationUnit.AdminUser, Additional);
        var admin = await Store(harness).FindAsync(Contract, CancellationToken.None);

        var byUser = await Store(harness).ChangePasswordAsync(
            new PasswordChange(Additional, Contract, Password, "Hq4mTz8wR2", "Hq4mTz8wR2", admin!.RowVersion), CancellationToken.None);
        var byAdmin = await Store(harness).ChangePasswordAsync(
            new PasswordChange(Contract, Additional, Password, "Hq4mTz8wR2", "Hq4mTz8wR2", user.RowVersion), CancellationToken.None);

        Assert.Equal(PasswordChangeOutcome.Forbidden, byUser.Outcome);
        Assert.Equal(PasswordChangeOutcome.Changed, byAdmin.Outcome);
        Assert.True((await Store(harness).LoginAsync(Additional, "Hq4mTz8wR2", CancellationToken.None)).Succeeded);
        var audit = await harness.Services.GetRequiredService<SettingsAuditLog>().ListAsync(admin.ContractId, 10, CancellationToken.None);
        Assert.Equal((Contract, Additional, "password.changed"), (audit[0].Actor, audit[0].Target, audit[0].Action));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Another_unit_is_refused_while_passwords_are_in_use_SS_1(string backend)
    {
        await using var harness = await CreateAsync(backend);
        await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract);

        Assert.NotNull(await Issuer(harness).IssueAsync(Contract, AuthenticationUnit.Number, Additional, Temporary, CancellationToken.None));
        Assert.False((await Store(harness).LoginAsync(Additional, Temporary, CancellationToken.None)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_number_with_hyphens_or_unknown_is_refused_like_a_wrong_password_SS_4(string backend)
    {
        await using var harness = await CreateAsync(backend);
        await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract);

        Assert.False((await Store(harness).LoginAsync("03-1234-5678", Password, CancellationToken.None)).Succeeded);
        Assert.False((await Store(harness).LoginAsync("0399999999", Password, CancellationToken.None)).Succeeded);
        Assert.Same(LoginResult.Failed, await Store(harness).LoginAsync("0399999999", Password, CancellationToken.None));
    }

    private static PortalAccountStore Store(ControllerHarness harness) => harness.Services.GetRequiredService<PortalAccountStore>();

    private static ITemporaryPasswordIssuer Issuer(ControllerHarness harness) => harness.Services.GetRequiredService<ITemporaryPasswordIssuer>();

    private async Task<ControllerHarness> CreateAsync(string backend)
    {
        var harness = await ControllerHarness.CreateAsync(backend, cluster, configure: services => services.AddPortalAccounts());
        await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        return harness;
    }

    // A temporary password by phone, then its change to Password, as a customer's first use goes.
    private static async Task<PortalAccount> WithPasswordAsync(ControllerHarness harness, AuthenticationUnit unit, string number)
    {
        Assert.Null(await Issuer(harness).IssueAsync(
            Contract, unit, unit == AuthenticationUnit.Line ? null : number, Temporary, CancellationToken.None));
        var login = await Store(harness).LoginAsync(number, Temporary, CancellationToken.None);
        var changed = await Store(harness).ChangePasswordAsync(
            new PasswordChange(number, number, Temporary, Password, Password, login.Account!.RowVersion), CancellationToken.None);
        Assert.Equal(PasswordChangeOutcome.Changed, changed.Outcome);
        return changed.Account!;
    }
}
