using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Hosting;

/// <summary>
/// Section "Controller:Https": the certificate of the API's https:// URLs in Controller:Urls (issue 12 item 7). TLS 1.2
/// and 1.3 only.
/// </summary>
public sealed class ControllerHttpsOptions : IValidatableObject
{
    public const string Section = "Controller:Https";

    /// <summary>PKCS#12 (.pfx/.p12) or PEM certificate (with <see cref="KeyFile"/>).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The password of a PKCS#12 <see cref="CertificateFile"/>.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Set by the host from Controller:Urls: whether any URL is https.</summary>
    internal bool HttpsRequested { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HttpsRequested && string.IsNullOrWhiteSpace(CertificateFile))
        {
            yield return new ValidationResult(
                "Controller:Https:CertificateFile is required when Controller:Urls has an https:// URL", [nameof(CertificateFile)]);
        }

        if (!string.IsNullOrWhiteSpace(CertificateFile) && !File.Exists(CertificateFile))
        {
            yield return new ValidationResult($"Controller:Https:CertificateFile: no such file {CertificateFile}", [nameof(CertificateFile)]);
        }

        if (!string.IsNullOrWhiteSpace(KeyFile) && !File.Exists(KeyFile))
        {
            yield return new ValidationResult($"Controller:Https:KeyFile: no such file {KeyFile}", [nameof(KeyFile)]);
        }
        else if (File.Exists(CertificateFile) && CannotLoad() is { } error)
        {
            yield return new ValidationResult($"Controller:Https:CertificateFile: cannot load it: {error}", [nameof(CertificateFile)]);
        }
    }

    private string? CannotLoad()
    {
        using var certificate = TryLoadCertificate(out var error);
        return certificate is null ? error ?? "unreadable" : null;
    }

    /// <summary>The certificate, or null (with why) when none is configured or it cannot be loaded.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TryLoadCertificate(out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(CertificateFile) || !File.Exists(CertificateFile))
        {
            return null;
        }

        try
        {
            return ServerCertificate.Load(CertificateFile, string.IsNullOrWhiteSpace(KeyFile) ? null : KeyFile, CertificatePassword);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            error = ex.Message;
            return null;
        }
    }
}
