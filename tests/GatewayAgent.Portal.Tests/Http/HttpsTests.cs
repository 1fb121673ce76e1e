using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GatewayAgent.Portal.Tests.Http;

/// <summary>SS-11: Kestrel HTTPS from a certificate path, TLS 1.2 or later.</summary>
[Trait("Ring", "integration")]
public sealed class HttpsTests
{
    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task The_site_serves_HTTPS_from_a_PEM_certificate_with_TLS_1_2_or_later_SS_11(SslProtocols protocol)
    {
        var certificates = Directory.CreateTempSubdirectory("portal-cert-").FullName;
        try
        {
            var (certificatePath, keyPath, thumbprint) = WriteSelfSigned(certificates);
            await using var site = await PortalSite.StartAsync(new Dictionary<string, string>
            {
                ["Portal:Urls"] = "https://127.0.0.1:{port}",
                ["Portal:Https:CertificatePath"] = certificatePath,
                ["Portal:Https:KeyPath"] = keyPath,
            });

            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", site.Port);
            await using var tls = new SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented?.GetCertHashString() == thumbprint); // the certificate we made, nothing else
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocol });
            await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /Account/Login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
            using var reader = new StreamReader(tls, Encoding.UTF8);
            var response = await reader.ReadToEndAsync();

            Assert.Equal(protocol, tls.SslProtocol);
            Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
            Assert.Contains("ログイン", response, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(certificates, recursive: true);
        }
    }

    private static (string Certificate, string Key, string Thumbprint) WriteSelfSigned(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "portal.crt");
        var keyPath = Path.Combine(directory, "portal.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath, certificate.GetCertHashString());
    }
}
