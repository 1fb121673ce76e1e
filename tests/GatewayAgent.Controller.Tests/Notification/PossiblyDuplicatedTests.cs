using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Tests.Storage;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StoredStatus = GatewayAgent.Controller.Storage.OutboxStatus;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>
/// Issue 12 item 10, "a mail is not sent twice unseen": a dispatcher killed between the relay's acceptance and the
/// delivered mark (simulated by its writes up to that point: the claim and the send-started mark, and the mail really
/// handed to the relay) is followed by a restarted dispatcher that resends once and flags the mail possibly-duplicated;
/// the embedded SMTP sink, as the relay, keeps one file. Real SQLite file and PostgreSQL database, real sink on loopback.
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class PossiblyDuplicatedTests(PostgresCluster cluster) : IDisposable
{
    private readonly DirectoryInfo _sinkDirectory = Directory.CreateTempSubdirectory("gateway-sink-dup-");

    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_send_killed_before_its_delivered_mark_is_resent_once_flagged_possibly_duplicated_and_the_sink_keeps_one_file(string backend)
    {
        var control = new SmtpSinkControl();
        await using var sink = new SmtpSink(
            Options.Create(new SmtpSinkOptions { Enabled = true, Listen = "127.0.0.1:0", Directory = _sinkDirectory.FullName }),
            control, TimeProvider.System, NullLogger<SmtpSink>.Instance);
        await sink.StartAsync(CancellationToken.None);
        await using var a = await OutboxNode.CreateAsync(backend, cluster, "node-a", control.EndPoint!.Port);
        var contract = await a.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        var id = await a.Store.EnqueueAsync(
            contract.Id, MailKind.Failure, "holder@example.jp", new ComposedMail(MailComposer.FailureSubject, "本文\n"), a.Time.GetUtcNow(), CancellationToken.None);

        // The killed process: claimed the mail, marked the send as started (committed), handed the mail to the relay,
        // and died before the delivered mark.
        var now = a.Time.GetUtcNow();
        var mail = Assert.Single(await a.Store.ClaimDueAsync("node-a", now, now + a.Mail.LeaseDuration, 10, CancellationToken.None));
        Assert.Equal(OutboxSendStart.First, await a.Store.BeginSendAsync(id, "node-a", now, now + a.Mail.LeaseDuration, CancellationToken.None));
        var message = a.Services.GetRequiredService<MailMessageFactory>().Create(mail);
        using (var client = new SmtpClient())
        {
            await client.ConnectAsync("127.0.0.1", control.EndPoint.Port, SecureSocketOptions.None);
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        Assert.False(Assert.Single(await a.Store.ListForContractAsync(contract.Id, 10, CancellationToken.None)).PossiblyDuplicated);

        // The restarted process (after the dead one's lease) sends the mail again, seeing that it may duplicate.
        await a.RestartAsync();
        a.Time.Advance(a.Mail.LeaseDuration);
        Assert.Equal(1, await a.DrainAsync());

        var entry = Assert.Single(await a.Store.ListForContractAsync(contract.Id, 10, CancellationToken.None));
        Assert.Equal((StoredStatus.Delivered, true), (entry.Status, entry.PossiblyDuplicated));
        Assert.Contains($"id={id}", Assert.Single(a.Logs.WithEventId(6416)).Message, StringComparison.Ordinal);
        Assert.Equal(0, await a.DrainAsync());

        // The sink got the same Message-ID twice and stored it once.
        var file = Assert.Single(Directory.GetFiles(_sinkDirectory.FullName, "*.eml"));
        Assert.EndsWith($"_{message.MessageId}.eml", file, StringComparison.Ordinal);
        Assert.Equal(1, control.DuplicatesDropped);
    }

    public void Dispose() => _sinkDirectory.Delete(recursive: true);
}
