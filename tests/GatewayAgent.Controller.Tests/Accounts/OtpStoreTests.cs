using System.Text.RegularExpressions;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Tests.Storage;
using GatewayAgent.Domain.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Accounts;

/// <summary>
/// SS-7, SS-8, SS-9 in the account store on a real database (SQLite, and PostgreSQL when installed): the state is in
/// the database, so it holds across a restart (another node), and every mail is an outbox row of the same transaction.
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed partial class OtpStoreTests(PostgresCluster cluster)
{
    private const string Contract = "0312345678";
    private const string Additional = "0312345679";
    private const string Monitoring = "0312345670";
    private const string Temporary = "58203914";
    private const string Password = "Gw7kPq2x9Z";

    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Registration_link_confirms_once_and_codes_expire_after_300_seconds_across_a_restart_SS_7(string backend)
    {
        await using var harness = await CreateAsync(backend);
        await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract);

        var registered = await Otp(harness).RegisterAsync(
            Contract, Contract, new OtpRegistration("owner@example.jp", "AbCdEf12", "conf1rmPw", "conf1rmPw"), 0, t => "https://site/c?token=" + t, CancellationToken.None);
        Assert.Equal(OtpOutcome.Done, registered.Outcome);
        var token = TokenPattern().Match((await MailsAsync(harness)).Single(m => m.Subject == OtpMails.ConfirmationSubject).Body).Groups[1].Value;
        Assert.DoesNotContain(token, await DumpAsync(harness), StringComparison.Ordinal); // only its hash is stored
        Assert.False((await Store(harness).FindAsync(Contract, CancellationToken.None))!.OtpActive);

        await harness.RestartAsync();
        Assert.Equal(OtpOutcome.Done, (await Otp(harness).ConfirmAsync(token, CancellationToken.None)).Outcome);
        Assert.Equal(OtpOutcome.Expired, (await Otp(harness).ConfirmAsync(token, CancellationToken.None)).Outcome);
        Assert.True((await Store(harness).FindAsync(Contract, CancellationToken.None))!.OtpActive);

        Assert.Equal(OtpOutcome.Done, (await Otp(harness).SendCodeAsync(Contract, CancellationToken.None)).Outcome);
        Assert.Equal(OtpOutcome.TooSoon, (await Otp(harness).SendCodeAsync(Contract, CancellationToken.None)).Outcome);
        var code = CodePattern().Match((await MailsAsync(harness)).First(m => m.Subject == OtpMails.CodeSubject).Body).Groups[1].Value;
        await harness.RestartAsync();
        harness.Time.Advance(OtpRules.CodeValidity - TimeSpan.FromMilliseconds(1));
        Assert.Equal(OtpOutcome.Done, (await Otp(harness).VerifyCodeAsync(Contract, code, CancellationToken.None)).Outcome);
        Assert.Equal(OtpOutcome.Expired, (await Otp(harness).VerifyCodeAsync(Contract, code, CancellationToken.None)).Outcome); // once

        Assert.Equal(OtpOutcome.Done, (await Otp(harness).SendCodeAsync(Contract, CancellationToken.None)).Outcome);
        var second = CodePattern().Match((await MailsAsync(harness)).First(m => m.Subject == OtpMails.CodeSubject).Body).Groups[1].Value;
        harness.Time.Advance(OtpRules.CodeValidity);
        Assert.Equal(OtpOutcome.Expired, (await Otp(harness).VerifyCodeAsync(Contract, second, CancellationToken.None)).Outcome);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Wrong_codes_void_the_code_and_count_toward_the_password_lockout_SS_7_SS_6(string backend)
    {
        await using var harness = await CreateAsync(backend);
        await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract);
        await RegisterConfirmedAsync(harness, Contract);
        await Otp(harness).SendCodeAsync(Contract, CancellationToken.None);
        var code = CodePattern().Match((await MailsAsync(harness)).First(m => m.Subject == OtpMails.CodeSubject).Body).Groups[1].Value;
        var wrong = code == "000000" ? "111111" : "000000";

        for (var i = 0; i < OtpRules.MaxWrongCodes; i++)
        {
            Assert.Equal(OtpOutcome.WrongCode, (await Otp(harness).VerifyCodeAsync(Contract, wrong, CancellationToken.None)).Outcome);
        }

        Assert.Equal(OtpOutcome.Expired, (await Otp(harness).VerifyCodeAsync(Contract, code, CancellationToken.None)).Outcome);
        for (var i = OtpRules.MaxWrongCodes; i < LockoutRules.MaxWrongPasswords; i++)
        {
            Assert.False((await Store(harness).LoginAsync(Contract, "Wrong" + i + "x9Z", CancellationToken.None)).Succeeded);
        }

        Assert.True((await Store(harness).FindAsync(Contract, CancellationToken.None))!.PasswordInvalidated);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_CSV_sets_all_rows_or_none_and_mails_only_new_addresses_SS_8(string backend)
    {
        await using var harness = await CreateAsync(backend);
        var contractId = (await WithPasswordAsync(harness, AuthenticationUnit.Line, Contract)).ContractId;
        var (rows, errors) = OtpCsv.Parse(
            $"{Contract},1,admin@example.jp,AdminId12,adm1nPass\r\n{Additional},0,,,\r\n{Monitoring},1,mon@example.jp,MonId123,m0nPass1\r\n");
        Assert.Empty(errors);

        var bad = await Otp(harness).ApplyCsvAsync(Contract, contractId, _ => true, [.. rows, rows[0] with { Line = 4 }], 0, t => t, CancellationToken.None);
        Assert.Equal(OtpOutcome.Invalid, bad.Outcome);
        Assert.Contains(bad.Errors, e => e.Field == "csv[4]");
        Assert.Null((await Otp(harness).GetAsync(Contract, CancellationToken.None)).ConfirmationId);

        var applied = await Otp(harness).ApplyCsvAsync(Contract, contractId, _ => true, rows, 0, t => t, CancellationToken.None);
        Assert.Equal((OtpOutcome.Done, 3, 2), (applied.Outcome, applied.Applied, applied.Mailed));
        var states = await Otp(harness).ListAsync(contractId, CancellationToken.None);
        var version = OtpStore.BulkVersion(states);
        var again = await Otp(harness).ApplyCsvAsync(Contract, contractId, _ => true, OtpCsv.Parse(OtpCsv.Format(states)).Rows, version, t => t, CancellationToken.None);
        Assert.Equal((OtpOutcome.Done, 0), (again.Outcome, again.Mailed));
        Assert.Equal(OtpOutcome.Stale, (await Otp(harness).ApplyCsvAsync(Contract, contractId, _ => true, rows, version, t => t, CancellationToken.None)).Outcome);
        Assert.Equal(2, (await MailsAsync(harness)).Count(m => m.Subject == OtpMails.ConfirmationSubject));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Number_to_line_copies_the_actors_password_and_invalidates_the_others_SS_9(string backend)
    {
        await using var harness = await CreateAsync(backend);
        foreach (var number in new[] { Contract, Additional, Monitoring })
        {
            await WithPasswordAsync(harness, AuthenticationUnit.Number, number);
        }

        var version = PortalAccountStore.AccountsVersion(await Store(harness).ListAsync((await Store(harness).FindAsync(Contract, CancellationToken.None))!.ContractId, CancellationToken.None));
        var passwords = new Dictionary<string, string> { [Contract] = Password, [Additional] = Password, [Monitoring] = "Wrong1x9Z" };
        var wrong = await Store(harness).ChangeUnitAsync(new UnitChange(Additional, AuthenticationUnit.Line, passwords, version), CancellationToken.None);
        Assert.Equal((UnitChangeStatus.WrongPassword, Monitoring), (wrong.Status, wrong.Numbers.Single()));

        passwords[Monitoring] = Password;
        var changed = await Store(harness).ChangeUnitAsync(new UnitChange(Additional, AuthenticationUnit.Line, passwords, version), CancellationToken.None);
        Assert.Equal(UnitChangeStatus.Changed, changed.Status); // a wrong entry is a counter, not a settings change: the version holds
        Assert.Equal(AuthenticationUnit.Line, (await Store(harness).FindAsync(Contract, CancellationToken.None))!.Unit);
        Assert.True((await Store(harness).LoginAsync(Contract, Password, CancellationToken.None)).Succeeded);
        Assert.True((await Store(harness).FindAsync(Additional, CancellationToken.None))!.PasswordInvalidated);
    }

    private static PortalAccountStore Store(ControllerHarness harness) => harness.Services.GetRequiredService<PortalAccountStore>();

    private static OtpStore Otp(ControllerHarness harness) => harness.Services.GetRequiredService<OtpStore>();

    private async Task<ControllerHarness> CreateAsync(string backend)
    {
        var harness = await ControllerHarness.CreateAsync(backend, cluster, configure: services => services.AddPortalAccounts());
        await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        return harness;
    }

    private static async Task<PortalAccount> WithPasswordAsync(ControllerHarness harness, AuthenticationUnit unit, string number)
    {
        Assert.Null(await harness.Services.GetRequiredService<ITemporaryPasswordIssuer>().IssueAsync(
            Contract, unit, unit == AuthenticationUnit.Line ? null : number, Temporary, CancellationToken.None));
        var login = await Store(harness).LoginAsync(number, Temporary, CancellationToken.None);
        var changed = await Store(harness).ChangePasswordAsync(
            new PasswordChange(number, number, Temporary, Password, Password, login.Account!.RowVersion), CancellationToken.None);
        return changed.Account!;
    }

    private static async Task RegisterConfirmedAsync(ControllerHarness harness, string number)
    {
        string? token = null;
        await Otp(harness).RegisterAsync(
            number, number, new OtpRegistration("owner@example.jp", "AbCdEf12", "conf1rmPw", "conf1rmPw"), 0, t => token = t, CancellationToken.None);
        Assert.Equal(OtpOutcome.Done, (await Otp(harness).ConfirmAsync(token!, CancellationToken.None)).Outcome);
    }

    /// <summary>The outbox's mails, newest first (subject and body).</summary>
    private static async Task<IReadOnlyList<(string Subject, string Body)>> MailsAsync(ControllerHarness harness) =>
        await harness.Database.ReadAsync<IReadOnlyList<(string, string)>>(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT subject, body FROM outbox ORDER BY id DESC";
                await using var reader = await command.ExecuteReaderAsync();
                var mails = new List<(string, string)>();
                while (await reader.ReadAsync())
                {
                    mails.Add((reader.GetString(0), reader.GetString(1)));
                }

                return mails;
            },
            CancellationToken.None);

    private static async Task<string> DumpAsync(ControllerHarness harness) =>
        await harness.Database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COALESCE(link_hash, '') || '|' || COALESCE(secret_hash, '') FROM portal_otp";
                return (string)(await command.ExecuteScalarAsync())!;
            },
            CancellationToken.None);

    [GeneratedRegex(@"token=([A-Za-z0-9_-]+)")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"ワンタイムパスワード：(\d{6})")]
    private static partial Regex CodePattern();
}
