using System.Text;
using GatewayAgent.Controller.Notification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>The MIME form of an outbox row: charset (UTF-8, ISO-2022-JP), Message-ID, headers.</summary>
[Trait("Ring", "unit")]
public class MailMessageFactoryTests
{
    private static readonly DateTimeOffset Created = new(2026, 4, 1, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData("utf-8")]
    [InlineData("iso-2022-jp")]
    public void Composed_Japanese_mail_parses_back_to_the_same_subject_and_body(string charset)
    {
        var composed = Composer().Compose(new MailFacts(MailKind.Failure, "0312345678", "0312345679", Created, "株式会社サンプル", "本社ビル３階", MailCause.PowerLost));
        var message = Factory(charset).Create(Row(composed));

        var wire = Serialize(message);
        var parsed = MimeMessage.Load(new MemoryStream(wire));

        Assert.Equal(composed.Subject, parsed.Subject);
        Assert.Equal(composed.Body, MailText.Of(parsed));
        Assert.Equal(charset, Assert.IsType<TextPart>(parsed.Body).ContentType.Charset, ignoreCase: true);
        Assert.Contains($"=?{charset}?", Encoding.ASCII.GetString(wire).Split("\r\n").Single(l => l.StartsWith("Subject:", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("故障・回復通知", parsed.From.Mailboxes.Single().Name);
    }

    [Fact]
    public void Iso_2022_jp_mail_is_seven_bit_on_the_wire()
    {
        var composed = Composer().Compose(new MailFacts(MailKind.Recovery, "0312345678", "0312345679", Created, "山田商店", "大阪支店", null));
        var wire = Serialize(Factory("iso-2022-jp").Create(Row(composed)));

        Assert.All(wire, b => Assert.True(b < 0x80, "every byte of an ISO-2022-JP mail is 7-bit"));
        Assert.Contains("Content-Type: text/plain; charset=iso-2022-jp", Encoding.ASCII.GetString(wire), StringComparison.OrdinalIgnoreCase);
        // The body carries JIS escape sequences (ESC $ B ... ESC ( B), not UTF-8.
        Assert.Contains("\u001b$B", Encoding.ASCII.GetString(wire), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_iso_2022_jp_cannot_carry_is_sent_in_utf8_rather_than_mangled()
    {
        var logs = new LogCapture();
        var factory = Factory("iso-2022-jp", logs.CreateLogger<MailMessageFactory>());
        var composed = new ComposedMail(MailComposer.FailureSubject, "𠮷野家様\n");

        var parsed = MimeMessage.Load(new MemoryStream(Serialize(factory.Create(Row(composed)))));

        Assert.Equal("utf-8", Assert.IsType<TextPart>(parsed.Body).ContentType.Charset, ignoreCase: true);
        Assert.Equal(composed.Body, MailText.Of(parsed));
        Assert.Single(logs.WithEventId(6408));
    }

    [Fact]
    public void Message_id_is_derived_from_the_outbox_row_and_stable_across_instances()
    {
        var row = Row(new ComposedMail("s", "b\n"));
        var first = Factory("utf-8").Create(row);
        var again = Factory("utf-8").Create(row);

        Assert.Equal("outbox-42.20260401030405@controller1.example.jp", first.MessageId);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(Created, first.Date);
        Assert.NotEqual(first.MessageId, Factory("utf-8").Create(row with { Id = 43 }).MessageId);
        Assert.NotEqual(first.MessageId, Factory("utf-8").Create(row with { CreatedAt = Created.AddSeconds(1) }).MessageId);
        Assert.Equal("auto-generated", first.Headers["Auto-Submitted"]);
    }

    [Fact]
    public void Message_id_domain_defaults_to_this_host()
    {
        var factory = new MailMessageFactory(Options.Create(new MailOptions()), Options.Create(new SmtpRelayOptions { From = "a@example.jp" }), NullLogger<MailMessageFactory>.Instance);
        Assert.False(string.IsNullOrWhiteSpace(factory.MessageIdDomain));
        Assert.EndsWith("@" + factory.MessageIdDomain, factory.MessageId(Row(new ComposedMail("s", "b"))), StringComparison.Ordinal);
        Assert.True(MailboxAddress.TryParse("x@" + factory.MessageIdDomain, out _));
    }

    internal static byte[] Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        // As on the SMTP wire: CRLF line endings.
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, stream);
        return stream.ToArray();
    }

    private static MailComposer Composer() =>
        new(Options.Create(new MailOptions()), new MailTimeZone(MailTimeZone.Tokyo));

    private static MailMessageFactory Factory(string charset, ILogger<MailMessageFactory>? logger = null) =>
        new(Options.Create(new MailOptions { Charset = charset, MessageIdDomain = "controller1.example.jp" }),
            Options.Create(new SmtpRelayOptions { From = "notify@example.jp", FromName = "故障・回復通知" }),
            logger ?? NullLogger<MailMessageFactory>.Instance);

    private static OutboxMail Row(ComposedMail mail) => new(42, 7, MailKind.Failure, "holder@example.jp", mail.Subject, mail.Body, Created, 0);
}
