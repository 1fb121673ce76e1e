namespace GatewayAgent.Portal.Hosting;

/// <summary>Section "Portal:Https": the server certificate for Kestrel's https:// URLs.</summary>
public sealed class PortalHttpsOptions
{
    /// <summary>A PEM certificate (with <see cref="KeyPath"/>) or a PKCS#12 (.pfx/.p12) file; null = no HTTPS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; null when the certificate file holds the key.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 file or an encrypted PEM key.</summary>
    public string? Password { get; set; }
}
