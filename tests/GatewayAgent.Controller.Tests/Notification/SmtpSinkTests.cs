using GatewayAgent.Controller.Notification;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>The embedded SMTP sink with a real MailKit client on loopback.</summary>
[Trait("Ring", "integration")]
public sealed class SmtpSinkTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gateway-sink-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 1, 2, 3, TimeSpan.Zero));

    [Fact]
    public async Task Mail_sent_to_the_sink_is_stored_as_an_eml_that_parses_back_identically()
    {
        var control = new SmtpSinkControl();
        await using var sink = Sink(control);
        await sink.StartAsync(CancellationToken.None);
        var message = JapaneseMessage("<outbox-9.20260401000000@controller1.example.jp>");

        await SendAsync(control, message);

        var file = Assert.Single(Directory.GetFiles(_directory));
        Assert.Equal("20260401T010203000Z_outbox-9.20260401000000@controller1.example.jp.eml", Path.GetFileName(file));
        var stored = await MimeMessage.LoadAsync(file);
        Assert.Equal(message.Subject, stored.Subject);
        Assert.Equal(MailText.Of(message), MailText.Of(stored));
        Assert.Equal("outbox-9.20260401000000@controller1.example.jp", stored.MessageId);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_same_message_id_twice_is_accepted_twice_and_stored_once_also_after_a_sink_restart()
    {
        // Issue 12 item 10: as archiving MTAs do, a resend with the same Message-ID (250 to the sender) leaves one file.
        var control = new SmtpSinkControl();
        await using (var sink = Sink(control))
        {
            await sink.StartAsync(CancellationToken.None);
            await SendAsync(control, JapaneseMessage("<same@x>"));
            _time.Advance(TimeSpan.FromSeconds(1));
            await SendAsync(control, JapaneseMessage("<same@x>"));
            await SendAsync(control, JapaneseMessage("<other@x>"));
        }

        Assert.Equal(1, control.DuplicatesDropped);
        Assert.Equal(["20260401T010203000Z_same@x.eml", "20260401T010204000Z_other@x.eml"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());

        // A new sink on the same directory knows what is already stored.
        await using var restarted = Sink(control);
        await restarted.StartAsync(CancellationToken.None);
        await SendAsync(control, JapaneseMessage("<same@x>"));
        Assert.Equal(2, control.DuplicatesDropped);
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
    }

    [Fact]
    public async Task Mails_without_a_message_id_are_all_stored()
    {
        var control = new SmtpSinkControl();
        await using var sink = Sink(control);
        await sink.StartAsync(CancellationToken.None);

        for (var i = 0; i < 2; i++)
        {
            var message = JapaneseMessage("<x@x>");
            message.Headers.Remove(HeaderId.MessageId);
            await SendAsync(control, message);
        }

        Assert.Equal(0, control.DuplicatesDropped);
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
    }

    [Fact]
    public async Task A_sink_not_accepting_refuses_with_a_transient_451_and_stores_nothing()
    {
        var control = new SmtpSinkControl { Accepting = false };
        await using var sink = Sink(control);
        await sink.StartAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(control, JapaneseMessage("<r@x>")));
        Assert.Equal(451, (int)refused.StatusCode);
        Assert.Empty(Directory.GetFiles(_directory));

        control.Accepting = true;
        await SendAsync(control, JapaneseMessage("<r@x>"));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Listening_on_a_busy_port_fails_start_naming_the_key()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var sink = Sink(new SmtpSinkControl(), $"127.0.0.1:{relay.Port}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sink.StartAsync(CancellationToken.None));
        Assert.Contains("Controller:Mail:Sink:Listen", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<a/b c@x>", "a_b_c@x")]
    [InlineData("<../../etc/passwd@x>", "_.._etc_passwd@x")]
    [InlineData("<>", "message")]
    public void Message_ids_are_sanitized_into_safe_file_names(string messageId, string expected) =>
        Assert.Equal(expected, SinkMessageStore.Sanitize(messageId));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private SmtpSink Sink(SmtpSinkControl control, string listen = "127.0.0.1:0") =>
        new(Options.Create(new SmtpSinkOptions { Enabled = true, Listen = listen, Directory = _directory }), control, _time, NullLogger<SmtpSink>.Instance);

    private static MimeMessage JapaneseMessage(string messageId)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("故障・回復通知", "notify@example.jp"));
        message.To.Add(MailboxAddress.Parse("holder@example.jp"));
        message.Subject = MailComposer.FailureSubject;
        message.MessageId = messageId.Trim('<', '>');
        message.Body = new TextPart("plain") { Text = "株式会社サンプル様\n本社ビル３階において\n" };
        return message;
    }

    private static async Task SendAsync(SmtpSinkControl control, MimeMessage message)
    {
        using var client = new SmtpClient();
        var endPoint = control.EndPoint ?? throw new InvalidOperationException("sink not listening");
        await client.ConnectAsync(endPoint.Address.ToString(), endPoint.Port, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
    }
}
