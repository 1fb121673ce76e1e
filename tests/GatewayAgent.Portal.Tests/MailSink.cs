using System.Text.RegularExpressions;
using MimeKit;

namespace GatewayAgent.Portal.Tests;

/// <summary>The mails the site's SMTP sink received (<see cref="PortalSite.MailDirectory"/>), read back with MimeKit.</summary>
public static partial class MailSink
{
    /// <summary>Waits until <paramref name="count"/> mails with <paramref name="subject"/> reached <paramref name="to"/>; returns them oldest first.</summary>
    public static async Task<IReadOnlyList<MimeMessage>> WaitAsync(PortalSite site, string to, string subject, int count = 1) =>
        await Wait.PollAsync(
            () => Task.FromResult(Read(site).Where(m => m.To.Mailboxes.Any(b => b.Address == to) && m.Subject == subject).ToList()),
            mails => mails.Count >= count,
            Wait.DefaultBound,
            $"{count} mail(s) '{subject}' to {to} in the sink");

    public static IReadOnlyList<MimeMessage> Read(PortalSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return !Directory.Exists(site.MailDirectory)
            ? []
            : Directory.GetFiles(site.MailDirectory, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f)).ToList();
    }

    /// <summary>The confirmation link in a mail (SS-7).</summary>
    public static string Link(MimeMessage mail) => LinkPattern().Match(mail?.TextBody ?? "").Value is { Length: > 0 } link
        ? link
        : throw new InvalidOperationException("no link in:\n" + mail?.TextBody);

    /// <summary>The one-time password in a mail (SS-7).</summary>
    public static string Code(MimeMessage mail) => CodePattern().Match(mail?.TextBody ?? "").Groups[1].Value is { Length: 6 } code
        ? code
        : throw new InvalidOperationException("no code in:\n" + mail?.TextBody);

    [GeneratedRegex(@"https?://\S+/Account/Otp/Confirm\?token=\S+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"ワンタイムパスワード：(\d{6})")]
    private static partial Regex CodePattern();
}
