using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>A throw-away PKI written as PEM files: a CA, a broker certificate for 127.0.0.1 and a site client certificate.</summary>
public sealed class TestCertificates
{
    private TestCertificates(string directory, string name)
    {
        CaFile = Path.Combine(directory, name + "-ca.pem");
        ServerCertificateFile = Path.Combine(directory, name + "-server.pem");
        ServerKeyFile = Path.Combine(directory, name + "-server.key");
        ClientCertificateFile = Path.Combine(directory, name + "-client.pem");
        ClientKeyFile = Path.Combine(directory, name + "-client.key");
    }

    public string CaFile { get; }
    public string ServerCertificateFile { get; }
    public string ServerKeyFile { get; }
    public string ClientCertificateFile { get; }
    public string ClientKeyFile { get; }

    public static TestCertificates Create(string directory, string name, string clientCommonName)
    {
        var files = new TestCertificates(directory, name);
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={name} test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(files.CaFile, ca.ExportCertificatePem());

        Issue(ca, "CN=127.0.0.1", server: true, files.ServerCertificateFile, files.ServerKeyFile, now);
        Issue(ca, $"CN={clientCommonName}", server: false, files.ClientCertificateFile, files.ClientKeyFile, now);
        return files;
    }

    private static void Issue(X509Certificate2 ca, string subject, bool server, string certificateFile, string keyFile, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }

        using var certificate = request.Create(ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
