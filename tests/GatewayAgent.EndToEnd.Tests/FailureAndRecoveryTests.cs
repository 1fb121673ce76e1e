using GatewayAgent.Lab;
using MimeKit;

namespace GatewayAgent.EndToEnd.Tests;

/// <summary>
/// The product's promise end to end (FN-1: FN-4, FN-5, FN-6, FN-7, FN-8, FN-15): real gateway-controller, real gateway-agent
/// processes on simulated boards answering real SIP probes, MQTT telemetry through the embedded broker, and a real SMTP
/// relay in the test process.
/// </summary>
public sealed class FailureAndRecoveryTests : IAsyncLifetime
{
    private const string FailureSubject = "着信異常検知のお知らせです";
    private const string RecoverySubject = "回復検知のお知らせです";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(40);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "gateway-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Power_cut_mails_each_checked_recipient_once_and_restore_mails_recovery_once_with_the_switch_following()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var lab = await LabHarness.StartAsync(_data, sites: 2, relay.Port);
        var (site, id) = lab.Sites[0];
        var (other, otherId) = lab.Sites[1];
        await WaitForStateAsync(lab, id, s => Is(s, "normal") && s.Live is { Online: true }, "site 1 up and online");

        await lab.ExecuteAsync(new LabCommand("power", site.Index, On: false), new CancellationTokenSource());
        var failed = await WaitForStateAsync(lab, id, s => Is(s, "failed"), "failure detected");
        Assert.True(failed.Forwarding.On, "auto-start (FN-6) turns bulk forwarding on");
        var failureMails = await WaitForMailsAsync(relay, 1, "the failure mail");
        var failure = Assert.Single(failureMails);
        Assert.Equal(FailureSubject, failure.Subject);
        Assert.Equal([site.Recipient], failure.To.Mailboxes.Select(m => m.Address));
        Assert.Contains(site.MonitoringNumber, failure.TextBody, StringComparison.Ordinal);

        // Still failed a while later: no second failure mail, nothing for the unchecked address or the other site.
        await Task.Delay(LabHarness.Interval * 3);
        Assert.Single(relay.Received);
        Assert.Equal("normal", (await lab.Api.GetStatusAsync(otherId, default))!.Detector.State, ignoreCase: true);

        await lab.ExecuteAsync(new LabCommand("power", site.Index, On: true), new CancellationTokenSource());
        var recovered = await WaitForStateAsync(lab, id, s => Is(s, "normal"), "recovery detected");
        Assert.False(recovered.Forwarding.On, "auto-stop (FN-7) turns bulk forwarding off");
        var all = await WaitForMailsAsync(relay, 2, "the recovery mail");
        Assert.Equal([FailureSubject, RecoverySubject], all.Select(m => m.Subject));
        Assert.Equal([site.Recipient], all[1].To.Mailboxes.Select(m => m.Address));

        await Task.Delay(LabHarness.Interval * 3);
        Assert.Equal(2, relay.Received.Count);
        Assert.DoesNotContain(relay.Received, m => m.To.Mailboxes.Any(a => a.Address == site.BackupRecipient || a.Address == other.Recipient));
    }

    [Fact]
    public async Task Controller_killed_with_the_failure_mail_undelivered_and_the_relay_down_delivers_it_once_after_restart()
    {
        var relayPort = TestSmtpServer.FreePort(); // nothing listens yet: the relay is down
        await using var lab = await LabHarness.StartAsync(_data, sites: 1, relayPort);
        var (site, id) = lab.Sites[0];
        await WaitForStateAsync(lab, id, s => Is(s, "normal") && s.Live is { Online: true }, "site up and online");

        await lab.ExecuteAsync(new LabCommand("wan", site.Index, On: false), new CancellationTokenSource());
        await WaitForStateAsync(lab, id, s => Is(s, "failed"), "failure detected");
        var pending = await LabHarness.WaitForAsync(() => lab.Api.GetMailsAsync(id, default),
            mails => mails.Any(m => m.Kind.Equals("failure", StringComparison.OrdinalIgnoreCase) && m.Attempts >= 1), Settle, "a failed delivery attempt");
        Assert.All(pending, m => Assert.NotEqual("delivered", m.Status, StringComparer.OrdinalIgnoreCase));

        // kill -9 between the outbox write and the delivery, then the relay comes back.
        await lab.KillControllerAsync();
        await using var relay = await TestSmtpServer.StartAsync(relayPort);
        await lab.StartControllerAsync(CancellationToken.None);

        var delivered = await WaitForMailsAsync(relay, 1, "the failure mail after the restart");
        Assert.Equal(FailureSubject, Assert.Single(delivered).Subject);
        var afterRestart = (await lab.Api.GetStatusAsync(id, default))!;
        Assert.Equal("failed", afterRestart.Detector.State, ignoreCase: true);
        Assert.True(afterRestart.Forwarding.On);

        // kill -9 again while FAILED, after delivery: the restart sends nothing again.
        await lab.KillControllerAsync();
        await lab.StartControllerAsync(CancellationToken.None);
        await Task.Delay(LabHarness.Interval * 3);
        Assert.Single(relay.Received);

        await lab.ExecuteAsync(new LabCommand("wan", site.Index, On: true), new CancellationTokenSource());
        await WaitForStateAsync(lab, id, s => Is(s, "normal"), "recovery detected");
        var all = await WaitForMailsAsync(relay, 2, "the recovery mail");
        Assert.Equal([FailureSubject, RecoverySubject], all.Select(m => m.Subject));
    }

    private static bool Is(ContractStatusView status, string detector) => status.Detector.State.Equals(detector, StringComparison.OrdinalIgnoreCase);

    private static Task<ContractStatusView> WaitForStateAsync(LabRunner lab, long id, Func<ContractStatusView, bool> condition, string what) =>
        LabHarness.WaitForAsync(async () => (await lab.Api.GetStatusAsync(id, default))!, condition, Settle, what);

    private static async Task<IReadOnlyList<MimeMessage>> WaitForMailsAsync(TestSmtpServer relay, int count, string what)
    {
        await LabHarness.WaitForAsync(() => Task.FromResult(relay.Received.Count), n => n >= count, Settle, what);
        return relay.Received;
    }
}
