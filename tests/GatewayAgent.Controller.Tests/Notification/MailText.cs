using MimeKit;

namespace GatewayAgent.Controller.Tests.Notification;

internal static class MailText
{
    /// <summary>The plain-text body with the wire's CRLF turned back into the composer's LF.</summary>
    public static string Of(MimeMessage message) =>
        (message.TextBody ?? throw new InvalidOperationException("the mail has no text body")).ReplaceLineEndings("\n");
}
