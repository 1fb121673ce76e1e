using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// Issue 12 item 9, no silent loss: the embedded broker acknowledges (PUBACK) an agent's QoS 1 event only after the
/// event is stored. A write that fails or never finishes leaves the event unacknowledged, so the agent keeps it in its
/// spool and publishes it again. The kill -9 of a real controller is in the end-to-end IngestCrashTests.
/// </summary>
[Trait("Ring", "integration")]
public sealed class IngestAcknowledgementTests
{
    private static Task<IngestTestHost> StartAsync() =>
        IngestTestHost.StartEmbeddedAsync(sites => sites.Add("site-a", "pw-a", 41));

    [Fact]
    public async Task A_failed_write_is_not_acknowledged_and_the_event_sent_again_is_stored()
    {
        await using var host = await StartAsync();
        var failures = 0;
        host.EventLog.BeforeAdd = _ => Interlocked.Increment(ref failures) == 1
            ? Task.FromException(new IOException("disk full (test)"))
            : Task.CompletedTask;
        var powerLost = SimulatedSite.Event("lost-1", 1, EventTypes.PowerLost, host.Clock.GetUtcNow());

        await using (var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a"))
        {
            // Without a PUBACK the publish cannot succeed: the broker closes the connection instead.
            var publish = await Record.ExceptionAsync(() => site.PublishEventAsync(powerLost));
            Assert.NotNull(publish);
        }

        Assert.False(host.EventLog.Contains("lost-1"));
        Assert.Equal(1, host.Count("gateway.ingest.write_failures:events"));
        Assert.Contains(host.Logs.Records, e => e.Id.Id == 6550);

        // The agent reconnects and sends it again from its spool: now it is stored and acknowledged.
        await using var again = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a", bdSeq: 2);
        var result = await again.PublishEventAsync(powerLost);
        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
        Assert.True(host.EventLog.Contains("lost-1"));
        Assert.Equal(1, host.EventLog.Count);
    }

    [Fact]
    public async Task An_event_whose_write_has_not_finished_when_the_broker_stops_is_never_acknowledged()
    {
        var host = await StartAsync();
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.EventLog.BeforeAdd = _ =>
        {
            writing.TrySetResult();
            return never.Task;
        };
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");

        var publish = site.PublishEventAsync(SimulatedSite.Event("held-1", 1, EventTypes.PowerLost, host.Clock.GetUtcNow()));
        await writing.Task.WaitAsync(IngestTestHost.Timeout);
        // The controller goes away while the event's write is still under way (a crash): no PUBACK may have left.
        var stopping = host.DisposeAsync().AsTask();
        var outcome = await Record.ExceptionAsync(async () =>
        {
            var result = await publish.WaitAsync(IngestTestHost.Timeout);
            Assert.Fail($"the event was acknowledged ({result.ReasonCode}) before it was stored");
        });
        Assert.IsNotType<Xunit.Sdk.FailException>(outcome);
        Assert.IsNotType<TimeoutException>(outcome);
        never.TrySetCanceled(); // the write never completes
        await stopping;
        Assert.False(host.EventLog.Contains("held-1"));
    }
}
