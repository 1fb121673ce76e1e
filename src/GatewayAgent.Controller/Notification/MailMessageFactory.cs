using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Builds the MIME message for one outbox row. Everything in it derives from the row, so a resend after a crash
/// (the residual window between the relay's accept and the delivered mark) is byte-identical and carries the same
/// Message-ID, which lets receivers recognise the duplicate.
/// </summary>
public sealed class MailMessageFactory
{
    /// <summary>Sender used with the embedded sink when Controller:Mail:Smtp:From is not set.</summary>
    public const string SinkFallbackFrom = "gateway-controller@localhost";

    private const string Iso2022Jp = "iso-2022-jp";

    private readonly SmtpRelayOptions _relay;
    private readonly ILogger<MailMessageFactory> _logger;
    private readonly Encoding _charset;

    public MailMessageFactory(IOptions<MailOptions> mail, IOptions<SmtpRelayOptions> relay, ILogger<MailMessageFactory> logger)
    {
        // ISO-2022-JP (code page 50220) lives in the code-pages provider (see NotificationEncodings).
        NotificationEncodings.Register();
        _relay = relay.Value;
        _logger = logger;
        _charset = string.Equals(mail.Value.Charset, Iso2022Jp, StringComparison.OrdinalIgnoreCase)
            ? Encoding.GetEncoding(Iso2022Jp)
            : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        MessageIdDomain = string.IsNullOrWhiteSpace(mail.Value.MessageIdDomain) ? HostDomain() : mail.Value.MessageIdDomain;
    }

    public string MessageIdDomain { get; }

    /// <summary>The deterministic Message-ID of an outbox row: its id and creation time (so a reset database cannot reuse one) at this host.</summary>
    public string MessageId(OutboxMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"outbox-{mail.Id}.{mail.CreatedAt.ToUniversalTime():yyyyMMddHHmmss}@{MessageIdDomain}");
    }

    /// <exception cref="ParseException">The recipient is not a mail address (a permanent failure).</exception>
    public MimeMessage Create(OutboxMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var charset = _charset;
        if (charset.CodePage != Encoding.UTF8.CodePage && !(EncodesLosslessly(charset, mail.Subject) && EncodesLosslessly(charset, mail.Body)))
        {
            // A character outside JIS X 0208 (an emoji, a rare kanji) would turn into "?": send this one in UTF-8.
            NotificationLog.CharsetFallback(_logger, mail.Id, charset.WebName);
            charset = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }

        var message = new MimeMessage();
        message.From.Add(FromAddress(charset));
        message.To.Add(MailboxAddress.Parse(mail.Recipient));
        message.Headers.Replace(HeaderId.Subject, charset, mail.Subject);
        message.Date = mail.CreatedAt;
        message.MessageId = MessageId(mail);
        // RFC 3834: an automatic notice, so vacation responders stay quiet.
        message.Headers.Replace("Auto-Submitted", "auto-generated");

        var text = new TextPart(MimeKit.Text.TextFormat.Plain);
        text.SetText(charset, mail.Body);
        text.ContentTransferEncoding = charset.CodePage == Encoding.UTF8.CodePage ? ContentEncoding.Base64 : ContentEncoding.SevenBit;
        message.Body = text;
        return message;
    }

    private MailboxAddress FromAddress(Encoding charset)
    {
        var address = MailboxAddress.Parse(string.IsNullOrWhiteSpace(_relay.From) ? SinkFallbackFrom : _relay.From);
        return string.IsNullOrWhiteSpace(_relay.FromName) ? address : new MailboxAddress(charset, _relay.FromName, address.Address);
    }

    private static bool EncodesLosslessly(Encoding charset, string text) =>
        string.Equals(charset.GetString(charset.GetBytes(text)), text, StringComparison.Ordinal);

    private static string HostDomain()
    {
        var name = new string(Dns.GetHostName().Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-').ToArray()).Trim('.', '-');
        return name.Length == 0 ? "localhost" : name;
    }
}
