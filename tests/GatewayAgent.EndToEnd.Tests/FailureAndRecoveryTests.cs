using GatewayAgent.Lab;
using MimeKit;

namespace GatewayAgent.EndToEnd.Tests;

/// <summary>
/// The product's promise end to end (FN-1: FN-4, FN-5, FN-6, FN-7, FN-8, FN-15): real gateway-controller, real gateway-agent
/// processes on simulated boards answering real SIP probes, MQTT telemetry through the embedded broker, and a real SMTP
/// relay in the test process.
/// </summary>
[Trait("Ring", "e2e")]
public sealed class FailureAndRecoveryTests : IAsyncLifetime
{
    private const string FailureSubject = "着信異常検知のお知らせです";
    private const string RecoverySubject = "回復検知のお知らせです";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(40);
    private readonly TempDirectory _work = new("gateway-e2e-");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Power_cut_mails_each_checked_recipient_once_and_restore_mails_recovery_once_with_the_switch_following()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var lab = await LabHarness.StartAsync(_work.Path, sites: 2, relay.Port);
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

        // Still failed three probes later: no second failure mail, nothing for the unchecked address or the other site.
        var queued = await lab.Api.GetMailsAsync(id, default);
        await WaitForMoreProbesAsync(lab, id, 3);
        Assert.Single(relay.Received);
        Assert.Equal(queued.Count, (await lab.Api.GetMailsAsync(id, default)).Count);
        Assert.Empty(await lab.Api.GetMailsAsync(otherId, default));
        Assert.Equal("normal", (await lab.Api.GetStatusAsync(otherId, default))!.Detector.State, ignoreCase: true);

        await lab.ExecuteAsync(new LabCommand("power", site.Index, On: true), new CancellationTokenSource());
        var recovered = await WaitForStateAsync(lab, id, s => Is(s, "normal"), "recovery detected");
        Assert.False(recovered.Forwarding.On, "auto-stop (FN-7) turns bulk forwarding off");
        var all = await WaitForMailsAsync(relay, 2, "the recovery mail");
        Assert.Equal([FailureSubject, RecoverySubject], all.Select(m => m.Subject));
        Assert.Equal([site.Recipient], all[1].To.Mailboxes.Select(m => m.Address));

        queued = await lab.Api.GetMailsAsync(id, default);
        await WaitForMoreProbesAsync(lab, id, 3);
        Assert.Equal(2, relay.Received.Count);
        Assert.Equal(queued.Count, (await lab.Api.GetMailsAsync(id, default)).Count);
        Assert.Empty(await lab.Api.GetMailsAsync(otherId, default));
        Assert.DoesNotContain(relay.Received, m => m.To.Mailboxes.Any(a => a.Address == site.BackupRecipient || a.Address == other.Recipient));
    }

    [Fact]
    public async Task Controller_killed_with_the_failure_mail_undelivered_and_the_relay_down_delivers_it_once_after_restart()
    {
        var relayPort = TestSmtpServer.FreePort(); // nothing listens yet: the relay is down
        await using var lab = await LabHarness.StartAsync(_work.Path, sites: 1, relayPort);
        var (site, id) = lab.Sites[0];
        await WaitForStateAsync(lab, id, s => Is(s, "normal") && s.Live is { Online: true }, "site up and online");

        await lab.ExecuteAsync(new LabCommand("wan", site.Index, On: false), new CancellationTokenSource());
        await WaitForStateAsync(lab, id, s => Is(s, "failed"), "failure detected");
        var pending = await LabHarness.WaitForAsync(() => lab.Api.GetMailsAsync(id, default),
            mails => mails.Any(m => m.Kind == MailKind.Failure && m.Attempts >= 1), Settle, "a failed delivery attempt");
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
        var queued = await lab.Api.GetMailsAsync(id, default);
        await lab.KillControllerAsync();
        await lab.StartControllerAsync(CancellationToken.None);
        await WaitForMoreProbesAsync(lab, id, 3);
        Assert.Single(relay.Received);
        Assert.Equal(queued.Count, (await lab.Api.GetMailsAsync(id, default)).Count);

        await lab.ExecuteAsync(new LabCommand("wan", site.Index, On: true), new CancellationTokenSource());
        await WaitForStateAsync(lab, id, s => Is(s, "normal"), "recovery detected");
        var all = await WaitForMailsAsync(relay, 2, "the recovery mail");
        Assert.Equal([FailureSubject, RecoverySubject], all.Select(m => m.Subject));
    }

    private static bool Is(ContractStatus status, string detector) => status.Detector.State.Equals(detector, StringComparison.OrdinalIgnoreCase);

    private static Task<ContractStatus> WaitForStateAsync(LabRunner lab, long id, Func<ContractStatus, bool> condition, string what) =>
        LabHarness.WaitForAsync(async () => (await lab.Api.GetStatusAsync(id, default))!, condition, Settle, what);

    /// <summary>
    /// Waits until the controller has recorded <paramref name="count"/> more probes of the contract than it had on the
    /// call: that many more decisions, any of which would have raised a transition and queued its mails. A "nothing
    /// more happens" check waits for this, not for a stretch of wall-clock time.
    /// </summary>
    private static async Task WaitForMoreProbesAsync(LabRunner lab, long id, int count)
    {
        var last = (await lab.Api.GetLastProbeAsync(id, default))?.StartedAt ?? DateTimeOffset.MinValue;
        for (var probe = 1; probe <= count; probe++)
        {
            var seen = last;
            var next = await LabHarness.WaitForAsync(
                () => lab.Api.GetLastProbeAsync(id, default), p => p is not null && p.StartedAt > seen, Settle, $"probe {probe} of {count} more");
            last = next!.StartedAt;
        }
    }

    private static async Task<IReadOnlyList<MimeMessage>> WaitForMailsAsync(TestSmtpServer relay, int count, string what)
    {
        await LabHarness.WaitForAsync(() => Task.FromResult(relay.Received.Count), n => n >= count, Settle, what);
        return relay.Received;
    }
}
