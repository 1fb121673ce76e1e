using System.Globalization;
using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Hands mails to the configured relay with MailKit (Controller:Mail:Smtp), or to the embedded sink when no relay
/// host is set and the sink is enabled. One <see cref="SmtpMailSession"/> carries a batch over one connection.
/// </summary>
public sealed class SmtpMailSender(
    IOptions<SmtpRelayOptions> relay,
    IOptions<SmtpSinkOptions> sink,
    SmtpSinkControl sinkControl,
    MailMessageFactory messages)
{
    private readonly SmtpRelayOptions _relay = relay.Value;
    private readonly SmtpSinkOptions _sink = sink.Value;

    /// <summary>Where mails go, for the operator log: "relay smtp.example.jp:587 starttls", "sink 127.0.0.1:2525", "none".</summary>
    public string DescribeTarget()
    {
        if (_relay.HasRelay)
        {
            return string.Create(CultureInfo.InvariantCulture, $"relay {_relay.Host}:{_relay.EffectivePort} {_relay.Security.ToString().ToLowerInvariant()}");
        }

        return _sink.Enabled ? $"sink {(object?)sinkControl.EndPoint ?? _sink.Listen}" : "none";
    }

    public bool HasTarget => _relay.HasRelay || _sink.Enabled;

    /// <summary>Connects (and authenticates) to the relay or the sink.</summary>
    /// <exception cref="InvalidOperationException">No relay is configured and the sink is not running.</exception>
    public async Task<SmtpMailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var (host, port, security) = Target();
        var client = new SmtpClient
        {
            Timeout = (int)_relay.Timeout.TotalMilliseconds,
            LocalDomain = messages.MessageIdDomain,
            CheckCertificateRevocation = _relay.CheckCertificateRevocation,
        };
        try
        {
            await client.ConnectAsync(host, port, security, cancellationToken).ConfigureAwait(false);
            if (_relay.HasRelay && !string.IsNullOrEmpty(_relay.Username))
            {
                await client.AuthenticateAsync(_relay.Username, _relay.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            return new SmtpMailSession(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private (string Host, int Port, SecureSocketOptions Security) Target()
    {
        if (_relay.HasRelay)
        {
            return (_relay.Host!, _relay.EffectivePort, _relay.Security switch
            {
                SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            });
        }

        if (_sink.Enabled && sinkControl.EndPoint is { } endPoint)
        {
            var address = endPoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
                : endPoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
                : endPoint.Address;
            return (address.ToString(), endPoint.Port, SecureSocketOptions.None);
        }

        throw new InvalidOperationException(_sink.Enabled
            ? "the embedded SMTP sink is not running"
            : "no SMTP relay configured (Controller:Mail:Smtp:Host) and the sink is disabled (Controller:Mail:Sink:Enabled)");
    }
}
