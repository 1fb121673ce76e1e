using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace GatewayAgent.Controller.Notification;

/// <summary>The "Controller:Mail:Smtp" settings: the relay the mails are handed to (FN-8, FN-15).</summary>
public sealed class SmtpRelayOptions : IValidatableObject
{
    public const string SectionName = "Controller:Mail:Smtp";

    /// <summary>Relay host; empty sends to the embedded sink when it is enabled, else mails wait in the outbox.</summary>
    public string? Host { get; set; }

    /// <summary>Relay port; 0 picks the usual one for <see cref="Security"/> (25, 587, 465).</summary>
    [Range(0, 65535, ErrorMessage = "Controller:Mail:Smtp:Port must be between 0 and 65535")]
    public int Port { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Authenticates when set.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// Allows <see cref="Password"/> with <see cref="SmtpSecurity.None"/>, where the password crosses the network in plain
    /// text (issue 12 item 13): only for a relay on a link the operator trusts (the same host, a private segment).
    /// </summary>
    public bool AllowPlaintextPassword { get; set; }

    /// <summary>Sender address; its domain must be one customers can allow-list (FN-15). Required with a relay.</summary>
    public string? From { get; set; }

    /// <summary>Sender display name (may be Japanese).</summary>
    public string? FromName { get; set; }

    /// <summary>Time allowed for each SMTP network operation.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Controller:Mail:Smtp:Timeout must be between 00:00:01 and 00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Check the relay certificate's revocation status (needs the CRL/OCSP servers reachable from the controller).</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    public bool HasRelay => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port != 0 ? Port : Security switch
    {
        SmtpSecurity.Tls => 465,
        SmtpSecurity.StartTls => 587,
        _ => 25,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasRelay && string.IsNullOrWhiteSpace(From))
        {
            yield return new ValidationResult("Controller:Mail:Smtp:From is required when Controller:Mail:Smtp:Host is set", [nameof(From)]);
        }

        if (!string.IsNullOrWhiteSpace(From) && !MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult($"Controller:Mail:Smtp:From '{From}' is not a mail address", [nameof(From)]);
        }

        if (!string.IsNullOrEmpty(Username) && Password is null)
        {
            yield return new ValidationResult("Controller:Mail:Smtp:Password is required when Controller:Mail:Smtp:Username is set", [nameof(Password)]);
        }

        // A relay password over plain SMTP is readable by anyone on the path: refused unless the operator says so.
        if (HasRelay && !string.IsNullOrEmpty(Password) && Security == SmtpSecurity.None && !AllowPlaintextPassword)
        {
            yield return new ValidationResult(
                "Controller:Mail:Smtp:Password is set with Controller:Mail:Smtp:Security=none: the password would cross the network in plain text; "
                + "use starttls or tls, or set Controller:Mail:Smtp:AllowPlaintextPassword=true",
                [nameof(Password)]);
        }
    }
}
