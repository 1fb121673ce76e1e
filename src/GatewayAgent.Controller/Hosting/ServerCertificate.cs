using System.Security.Cryptography.X509Certificates;

namespace GatewayAgent.Controller.Hosting;

/// <summary>Loads a server certificate for the controller's TLS listeners (HTTPS, the embedded broker's MQTTS).</summary>
public static class ServerCertificate
{
    /// <summary>PKCS#12 (.pfx/.p12, with an optional password), or PEM with its private key in <paramref name="keyFile"/>.</summary>
    public static X509Certificate2 Load(string file, string? keyFile, string? password)
    {
        if (!string.IsNullOrEmpty(keyFile))
        {
            using var pem = X509Certificate2.CreateFromPemFile(file, keyFile);
            // SslStream on Linux wants a certificate whose key is not ephemeral: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(file, password);
    }
}
