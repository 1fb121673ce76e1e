using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Portal.Hosting;

/// <summary>Section "Portal": the settings site's own settings (the database is the controller's: Controller:DataDirectory, Controller:Storage, ConnectionStrings:Controller).</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Kestrel listen URLs (semicolon separated); an https:// URL needs <see cref="PortalHttpsOptions.CertificatePath"/>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Portal:Urls must not be empty")]
    public string Urls { get; set; } = "http://127.0.0.1:8081";

    /// <summary>SS-11: a session without a request for this long is logged out.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "12:00:00", ErrorMessage = "Portal:IdleTimeout must be between 00:00:05 and 12:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Where the Data Protection keys (which protect the session and antiforgery cookies) are kept; every node of one
    /// site must share this directory. Default: "portal-keys" in Controller:DataDirectory.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>SS-6: failed-login throttle, login attempts (POSTs) per client address per minute.</summary>
    [Range(1, 10_000, ErrorMessage = "Portal:LoginAttemptsPerMinute must be between 1 and 10000")]
    public int LoginAttemptsPerMinute { get; set; } = 30;

    /// <summary>
    /// SS-7: the site's address as customers reach it (behind a proxy: the proxy's https:// address), the base of the
    /// confirmation links mailed. Default: the first of <see cref="Urls"/>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The base of the links the site mails (SS-7): <see cref="PublicUrl"/>, else the first listen URL.</summary>
    public Uri PublicBase => new((PublicUrl is { Length: > 0 } url ? url : Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]).TrimEnd('/') + "/");

    /// <summary>Kestrel HTTPS (SS-11: TLS 1.2 or later); leave unset behind a TLS proxy.</summary>
    public PortalHttpsOptions Https { get; set; } = new();
}
