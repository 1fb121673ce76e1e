using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Notification;

/// <summary>The "Controller:Mail" settings: mail wording, time zone, charset, retry and alert policy (FN-8, FN-15).</summary>
public sealed class MailOptions : IValidatableObject
{
    public const string SectionName = "Controller:Mail";

    /// <summary>The settings-site URL printed at the end of every mail (■ひかり電話設定サイトURL).</summary>
    public string SettingsUrl { get; set; } = "https://www.hikari.ntt-east.net";

    /// <summary>IANA (or Windows) time zone of the times printed in mails; Asia/Tokyo falls back to a fixed +09:00 without tzdata.</summary>
    [Required(ErrorMessage = "Controller:Mail:TimeZone is required (e.g. Asia/Tokyo)")]
    public string TimeZone { get; set; } = MailTimeZone.Tokyo;

    /// <summary>"utf-8" (default) or "iso-2022-jp" for older Japanese mail clients.</summary>
    [RegularExpression("(?i)^(utf-8|iso-2022-jp)$", ErrorMessage = "Controller:Mail:Charset must be utf-8 or iso-2022-jp")]
    public string Charset { get; set; } = "utf-8";

    /// <summary>Domain part of the deterministic Message-ID; empty means this host's name.</summary>
    [RegularExpression("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$", ErrorMessage = "Controller:Mail:MessageIdDomain must be a host name such as controller1.example.jp")]
    public string? MessageIdDomain { get; set; }

    /// <summary>How often the dispatcher looks for due mails when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "Controller:Mail:PollInterval must be between 00:00:00.050 and 01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Mails taken from the outbox per pass (one SMTP connection per pass).</summary>
    [Range(1, 1000, ErrorMessage = "Controller:Mail:BatchSize must be between 1 and 1000")]
    public int BatchSize { get; set; } = 50;

    /// <summary>Delay before the first retry; each further retry multiplies it by <see cref="BackoffMultiplier"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Controller:Mail:InitialRetryDelay must be between 00:00:01 and 1.00:00:00")]
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1.0, 10.0, ErrorMessage = "Controller:Mail:BackoffMultiplier must be between 1 and 10")]
    public double BackoffMultiplier { get; set; } = 2.0;

    /// <summary>Upper bound of the retry delay.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Controller:Mail:MaxRetryDelay must be between 00:00:01 and 1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts (first one included) after which a mail is given up.</summary>
    [Range(1, 1000, ErrorMessage = "Controller:Mail:MaxAttempts must be between 1 and 1000")]
    public int MaxAttempts { get; set; } = 50;

    /// <summary>Age after which a mail still undelivered is given up (a failure notice days late is noise).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Controller:Mail:MaxAge must be between 00:01:00 and 30.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A mail undelivered this long after it was queued raises an operator alert in the log.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Controller:Mail:UndeliveredAlertAfter must be between 00:00:01 and 30.00:00:00")]
    public TimeSpan UndeliveredAlertAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a dispatcher's claim on the mails it is sending keeps other controllers on the same database away from
    /// them. A live dispatcher renews it (every third of it, and before each send); a dead one's claims are taken over
    /// when it runs out, so this is also how long a mail waits after a kill -9 of the controller that held it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Controller:Mail:LeaseDuration must be between 00:00:05 and 01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(SettingsUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult($"Controller:Mail:SettingsUrl '{SettingsUrl}' must be an absolute http(s) URL", [nameof(SettingsUrl)]);
        }

        if (MaxRetryDelay < InitialRetryDelay)
        {
            yield return new ValidationResult("Controller:Mail:MaxRetryDelay must not be shorter than Controller:Mail:InitialRetryDelay", [nameof(MaxRetryDelay)]);
        }

        if (!string.IsNullOrWhiteSpace(TimeZone) && !MailTimeZone.TryResolve(TimeZone, out _, out _))
        {
            yield return new ValidationResult($"Controller:Mail:TimeZone '{TimeZone}' is not a known time zone (e.g. Asia/Tokyo)", [nameof(TimeZone)]);
        }
    }
}
