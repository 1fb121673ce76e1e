using System.Diagnostics.Metrics;
using GatewayAgent.Controller.Notification;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>The outbox dispatcher against a real SMTP server on loopback, with a fake clock for the backoff (FN-4, FN-5, FN-8).</summary>
[Trait("Ring", "integration")]
public class OutboxDispatcherTests
{
    [Fact]
    public async Task Every_pending_mail_is_delivered_once_with_its_deterministic_message_id()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        using var harness = new DispatcherHarness(relay.Port);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await harness.EnqueueAsync($"user{i}@example.jp"));
        }

        var dispatcher = harness.NewDispatcher();
        Assert.Equal(5, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        harness.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Equal(5, relay.Received.Count);
        foreach (var id in ids)
        {
            var row = harness.Store.Row(id);
            Assert.Equal(OutboxStatus.Delivered, row.Status);
            Assert.Equal(1, row.Attempts);
            Assert.False(string.IsNullOrWhiteSpace(row.ServerReply));
            var received = Assert.Single(relay.Received, m => m.To.Mailboxes.Single().Address == row.Recipient);
            Assert.Equal($"outbox-{id}.20260401000000@controller1.example.jp", received.MessageId);
            Assert.Equal(MailComposer.FailureSubject, received.Subject);
            Assert.Equal(row.Body, MailText.Of(received));
        }

        Assert.Equal(5, harness.Logs.WithEventId(6402).Count);
    }

    [Fact]
    public async Task Relay_down_is_retried_with_exponential_backoff_and_delivered_exactly_once_when_it_returns()
    {
        var port = TestSmtpServer.FreePort();
        using var harness = new DispatcherHarness(port, o =>
        {
            o.InitialRetryDelay = TimeSpan.FromSeconds(30);
            o.BackoffMultiplier = 2;
            o.MaxRetryDelay = TimeSpan.FromMinutes(10);
        });
        var id = await harness.EnqueueAsync("ops@example.jp");
        var start = harness.Time.GetUtcNow();
        var dispatcher = harness.NewDispatcher();

        // Nothing listens: attempt 1 fails, the next one is due 30 s later, then 60 s, then 120 s.
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        var row = harness.Store.Row(id);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Equal(start + TimeSpan.FromSeconds(30), row.NextAttemptAt);
        Assert.Contains("Connect", row.LastError ?? string.Empty, StringComparison.OrdinalIgnoreCase);

        harness.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(start + TimeSpan.FromSeconds(30 + 60), harness.Store.Row(id).NextAttemptAt);
        harness.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(start + TimeSpan.FromSeconds(30 + 60 + 120), harness.Store.Row(id).NextAttemptAt);
        Assert.Equal(3, harness.Store.Row(id).Attempts);

        // The relay comes back on its port: the next due attempt delivers, and nothing is sent again afterwards.
        await using var relay = await TestSmtpServer.StartAsync(port);
        harness.Time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Empty(relay.Received);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        harness.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Single(relay.Received);
        Assert.Equal(OutboxStatus.Delivered, harness.Store.Row(id).Status);
        Assert.Equal(4, harness.Store.Row(id).Attempts);
        Assert.Equal(3, harness.Logs.WithEventId(6403).Count);
    }

    [Fact]
    public async Task Relay_refusing_with_451_is_retried_and_delivered_once_when_it_accepts_again()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        relay.Refusing = true;
        using var harness = new DispatcherHarness(relay.Port);
        var first = await harness.EnqueueAsync("a@example.jp");
        var second = await harness.EnqueueAsync("b@example.jp");
        var dispatcher = harness.NewDispatcher();

        Assert.Equal(2, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Empty(relay.Received);
        Assert.StartsWith("451", harness.Store.Row(first).LastError);
        Assert.Equal(OutboxStatus.Pending, harness.Store.Row(second).Status);

        relay.Refusing = false;
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        harness.Time.Advance(harness.Mail.InitialRetryDelay);
        Assert.Equal(2, await dispatcher.DispatchDueAsync(CancellationToken.None));
        harness.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Equal(2, relay.Received.Count);
        Assert.Equal(["a@example.jp", "b@example.jp"], relay.Received.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [Fact]
    public async Task Mail_undelivered_past_the_limit_raises_one_alert_naming_contract_recipient_age_and_error()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        relay.Refusing = true;
        using var harness = new DispatcherHarness(relay.Port, o =>
        {
            o.UndeliveredAlertAfter = TimeSpan.FromMinutes(15);
            o.InitialRetryDelay = TimeSpan.FromMinutes(2);
            o.MaxRetryDelay = TimeSpan.FromMinutes(10);
        });
        var id = await harness.EnqueueAsync("holder@example.jp", contractId: 4242);
        var created = harness.Time.GetUtcNow();
        var dispatcher = harness.NewDispatcher();

        // Attempts at 0, 2, 6, 14 min; the backoff would next go to 24 min; no alert before the limit.
        while (harness.Time.GetUtcNow() - created < TimeSpan.FromMinutes(15))
        {
            await dispatcher.DispatchDueAsync(CancellationToken.None);
            Assert.Empty(harness.Logs.WithEventId(6404));
            harness.Time.SetUtcNow(harness.Store.Row(id).NextAttemptAt);
        }

        // The next attempt is scheduled at the limit itself, so the alert is on time even with a long backoff.
        Assert.Equal(created + TimeSpan.FromMinutes(15), harness.Time.GetUtcNow());
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var alert = Assert.Single(harness.Logs.WithEventId(6404));
        Assert.True(alert.Level >= LogLevel.Warning);
        Assert.Contains("contract=4242", alert.Message, StringComparison.Ordinal);
        Assert.Contains("recipient=holder@example.jp", alert.Message, StringComparison.Ordinal);
        Assert.Contains("age=00:15:00", alert.Message, StringComparison.Ordinal);
        Assert.Contains("451", alert.Message, StringComparison.Ordinal);

        // Further failures do not repeat the alert; delivery afterwards is logged as such.
        harness.Time.SetUtcNow(harness.Store.Row(id).NextAttemptAt);
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Single(harness.Logs.WithEventId(6404));
        relay.Refusing = false;
        harness.Time.SetUtcNow(harness.Store.Row(id).NextAttemptAt);
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Single(relay.Received);
        Assert.Single(harness.Logs.WithEventId(6407));
    }

    [Fact]
    public async Task Mail_is_given_up_after_max_attempts_and_the_give_up_is_logged()
    {
        var port = TestSmtpServer.FreePort();
        using var harness = new DispatcherHarness(port, o => o.MaxAttempts = 3);
        var id = await harness.EnqueueAsync("x@example.jp");
        var dispatcher = harness.NewDispatcher();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
            harness.Time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        var row = harness.Store.Row(id);
        Assert.Equal(OutboxStatus.GivenUp, row.Status);
        Assert.Equal(3, row.Attempts);
        var log = Assert.Single(harness.Logs.WithEventId(6405));
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Contains("MaxAttempts", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_is_given_up_at_max_age_even_when_attempts_remain()
    {
        var port = TestSmtpServer.FreePort();
        using var harness = new DispatcherHarness(port, o =>
        {
            o.MaxAge = TimeSpan.FromMinutes(30);
            o.MaxRetryDelay = TimeSpan.FromMinutes(20);
            o.MaxAttempts = 1000;
        });
        var id = await harness.EnqueueAsync("x@example.jp");
        var created = harness.Time.GetUtcNow();
        var dispatcher = harness.NewDispatcher();

        while (harness.Store.Row(id).Status == OutboxStatus.Pending)
        {
            Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
            var next = harness.Store.Row(id).NextAttemptAt;
            Assert.True(next <= created + TimeSpan.FromMinutes(30), "no attempt is scheduled past MaxAge");
            harness.Time.SetUtcNow(next);
        }

        Assert.Equal(OutboxStatus.GivenUp, harness.Store.Row(id).Status);
        Assert.Equal(created + TimeSpan.FromMinutes(30), harness.Store.Row(id).LastAttemptAt);
        Assert.Contains("MaxAge", Assert.Single(harness.Logs.WithEventId(6405)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recipient_refused_with_5xx_is_given_up_at_once_and_the_others_still_go()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        relay.RejectRecipient("gone@example.jp");
        using var harness = new DispatcherHarness(relay.Port);
        var refused = await harness.EnqueueAsync("gone@example.jp");
        var fine = await harness.EnqueueAsync("fine@example.jp");

        Assert.Equal(2, await harness.NewDispatcher().DispatchDueAsync(CancellationToken.None));

        var row = harness.Store.Row(refused);
        Assert.Equal(OutboxStatus.GivenUp, row.Status);
        Assert.StartsWith("5", row.LastError);
        Assert.Contains("refused permanently", Assert.Single(harness.Logs.WithEventId(6405)).Message, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Delivered, harness.Store.Row(fine).Status);
        Assert.Equal("fine@example.jp", Assert.Single(relay.Received).To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task Starttls_required_but_not_offered_is_a_retried_failure_not_a_plain_text_send()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        using var harness = new DispatcherHarness(relay.Port);
        harness.Relay.Security = SmtpSecurity.StartTls;
        var id = await harness.EnqueueAsync("a@example.jp");

        Assert.Equal(1, await harness.NewDispatcher().DispatchDueAsync(CancellationToken.None));

        Assert.Empty(relay.Received);
        var row = harness.Store.Row(id);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Contains("STARTTLS", row.LastError ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_relay_or_sink_attempts_fail_naming_the_missing_setting()
    {
        using var harness = new DispatcherHarness(TestSmtpServer.FreePort());
        harness.Relay.Host = null;
        var id = await harness.EnqueueAsync("a@example.jp");

        Assert.Equal(1, await harness.NewDispatcher().DispatchDueAsync(CancellationToken.None));

        Assert.Equal(OutboxStatus.Pending, harness.Store.Row(id).Status);
        Assert.Contains("Controller:Mail:Smtp:Host", harness.Store.Row(id).LastError ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recipient_longer_than_254_characters_is_given_up_without_contacting_the_relay_FN_9()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        using var harness = new DispatcherHarness(relay.Port);
        var id = await harness.EnqueueAsync(new string('a', 255 - "@example.jp".Length) + "@example.jp");
        Assert.Equal(1, await harness.NewDispatcher().DispatchDueAsync(CancellationToken.None));
        Assert.Equal(OutboxStatus.GivenUp, harness.Store.Row(id).Status);
        Assert.Equal("invalid recipient address (FN-9: at most 254 characters)", harness.Store.Row(id).LastError);
        Assert.Empty(relay.Received);
    }

    [Fact]
    public async Task Malformed_recipient_address_is_given_up_without_contacting_the_relay()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        using var harness = new DispatcherHarness(relay.Port);
        var id = await harness.EnqueueAsync("no-at-sign");
        Assert.Equal(1, await harness.NewDispatcher().DispatchDueAsync(CancellationToken.None));
        Assert.Equal(OutboxStatus.GivenUp, harness.Store.Row(id).Status);
        Assert.StartsWith("invalid recipient address (FN-9", harness.Store.Row(id).LastError);
        Assert.Empty(relay.Received);
    }

    [Fact]
    public async Task Outbox_depth_is_sampled_after_each_pass()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        relay.Refusing = true;
        using var harness = new DispatcherHarness(relay.Port);
        var depths = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this harness's meter: other tests run dispatchers with meters of the same name in parallel.
            if (instrument.Meter.Name == NotificationMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, harness.MeterFactory)
                && instrument.Name == "notification.outbox.depth")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => depths.Add(value));
        listener.Start();
        var dispatcher = harness.NewDispatcher();

        listener.RecordObservableInstruments();
        Assert.Empty(depths);
        for (var i = 0; i < 3; i++)
        {
            await harness.EnqueueAsync($"u{i}@example.jp");
        }

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        listener.RecordObservableInstruments();
        Assert.Equal([3L], depths);

        relay.Refusing = false;
        harness.Time.Advance(harness.Mail.InitialRetryDelay);
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        listener.RecordObservableInstruments();
        Assert.Equal([3L, 0L], depths);
    }

    [Fact]
    public async Task A_restarted_dispatcher_over_the_same_outbox_does_not_resend_delivered_mail()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        using var harness = new DispatcherHarness(relay.Port);
        var first = await harness.EnqueueAsync("a@example.jp");
        Assert.Equal(1, await harness.NewDispatcher().DispatchDueAsync(CancellationToken.None));

        var second = await harness.EnqueueAsync("b@example.jp");
        var restarted = harness.NewDispatcher();
        Assert.Equal(1, await restarted.DispatchDueAsync(CancellationToken.None));
        harness.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await restarted.DispatchDueAsync(CancellationToken.None));

        Assert.Equal(2, relay.Received.Count);
        Assert.Single(relay.Received, m => m.MessageId == harness.Messages.MessageId(ToMail(harness.Store.Row(first))));
        Assert.Single(relay.Received, m => m.MessageId == harness.Messages.MessageId(ToMail(harness.Store.Row(second))));
    }

    [Fact]
    public async Task A_crash_between_accept_and_delivered_mark_resends_with_the_same_message_id()
    {
        // The residual window of docs/notification.md: the relay accepted, the mark was lost; the resend is recognisable.
        await using var relay = await TestSmtpServer.StartAsync();
        using var harness = new DispatcherHarness(relay.Port);
        var id = await harness.EnqueueAsync("a@example.jp");
        harness.Store.FailNextDeliveredMarkFor = id;

        await Assert.ThrowsAsync<IOException>(() => harness.NewDispatcher().DispatchDueAsync(CancellationToken.None));
        Assert.NotNull(harness.Store.Row(id).SendStartedAt); // the mark written before the relay heard of the mail
        Assert.False(harness.Store.Row(id).PossiblyDuplicated);
        Assert.Equal(1, await harness.NewDispatcher().DispatchDueAsync(CancellationToken.None));

        Assert.Equal(2, relay.Received.Count);
        Assert.Single(relay.Received.Select(m => m.MessageId).Distinct());
        Assert.Equal(OutboxStatus.Delivered, harness.Store.Row(id).Status);
        Assert.True(harness.Store.Row(id).PossiblyDuplicated); // issue 12 item 10: the resend is not unseen
        Assert.Contains($"id={id}", Assert.Single(harness.Logs.WithEventId(6416)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mails_sent_or_failed_normally_are_never_flagged_possibly_duplicated()
    {
        // The mark is cleared by every recorded outcome: a refused attempt followed by a delivery is not a duplicate.
        await using var relay = await TestSmtpServer.StartAsync();
        relay.Refusing = true;
        using var harness = new DispatcherHarness(relay.Port);
        var id = await harness.EnqueueAsync("a@example.jp");
        var dispatcher = harness.NewDispatcher();
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Null(harness.Store.Row(id).SendStartedAt);

        relay.Refusing = false;
        harness.Time.Advance(harness.Mail.InitialRetryDelay);
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Single(relay.Received);
        var row = harness.Store.Row(id);
        Assert.Equal((OutboxStatus.Delivered, false, (DateTimeOffset?)null), (row.Status, row.PossiblyDuplicated, row.SendStartedAt));
        Assert.Empty(harness.Logs.WithEventId(6416));
    }

    [Fact]
    public async Task The_hosted_loop_delivers_a_new_mail_when_signalled_without_waiting_for_the_poll()
    {
        await using var relay = await TestSmtpServer.StartAsync();

        // The fake clock never moves: only the signal can wake the loop before its 5-minute poll.
        using var harness = new DispatcherHarness(relay.Port, o => o.PollInterval = TimeSpan.FromMinutes(5));
        var delivered = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NotificationMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, harness.MeterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "notification.mails.delivered")
            {
                Interlocked.Add(ref delivered, value);
            }
        });
        listener.Start();

        var dispatcher = harness.NewDispatcher();
        await dispatcher.StartAsync(CancellationToken.None);
        try
        {
            var id = await harness.EnqueueAsync("a@example.jp");
            harness.Signal.Notify();
            await harness.Store.WaitDeliveredAsync(id);
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }

        Assert.Single(relay.Received);
        Assert.Equal(1, Interlocked.Read(ref delivered));
    }

    private static OutboxMail ToMail(OutboxRow row) =>
        new(row.Id, row.ContractId, row.Kind, row.Recipient, row.Subject, row.Body, row.CreatedAt, row.Attempts);
}
