using MailKit.Net.Smtp;
using MimeKit;

namespace GatewayAgent.Controller.Notification;

/// <summary>One SMTP connection over which the dispatcher sends a batch of mails.</summary>
public sealed class SmtpMailSession : IAsyncDisposable
{
    private readonly SmtpClient _client;

    internal SmtpMailSession(SmtpClient client) => _client = client;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Sends one mail; returns the relay's reply to the end of DATA once it has accepted the mail.</summary>
    public Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken) =>
        _client.SendAsync(message, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SmtpProtocolException or SmtpCommandException or TimeoutException)
        {
            // The mails are already accounted for; a failed QUIT changes nothing.
        }
        finally
        {
            _client.Dispose();
        }
    }
}
