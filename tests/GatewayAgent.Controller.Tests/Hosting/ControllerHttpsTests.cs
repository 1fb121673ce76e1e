using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace GatewayAgent.Controller.Tests.Hosting;

/// <summary>
/// Issue 12 item 7: the real gateway-controller serves its API over HTTPS with the certificate of Controller:Https
/// (PEM certificate and key), TLS 1.2 or newer; an https:// URL without a certificate stops it with exit 2 naming the key.
/// </summary>
[Trait("Ring", "integration")]
public sealed partial class ControllerHttpsTests
{
    private const string Key = "https-key-0123456789abcdef";
    private static readonly string ControllerDll = Path.Combine(AppContext.BaseDirectory, "gateway-controller.dll");

    private static ProcessStartInfo StartInfo(string dataDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(ControllerDll);
        start.ArgumentList.Add($"--Controller:DataDirectory={dataDirectory}");
        start.ArgumentList.Add($"--Controller:Mqtt:Listen=127.0.0.1:{FreePort.Next()}");
        start.ArgumentList.Add($"--Controller:Api:Keys:0={Key}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        return start;
    }

    private static (string Certificate, string Key) WriteSelfSigned(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificateFile = Path.Combine(directory, "api.crt");
        var keyFile = Path.Combine(directory, "api.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    [Fact]
    public async Task Serves_the_api_over_tls_12_or_newer_with_the_configured_certificate()
    {
        var directory = Directory.CreateTempSubdirectory("controller-https-").FullName;
        var (certificate, key) = WriteSelfSigned(directory);
        using var process = Process.Start(StartInfo(directory, "--Controller:Urls=https://127.0.0.1:0",
            $"--Controller:Https:CertificateFile={certificate}", $"--Controller:Https:KeyFile={key}"))!;
        try
        {
            var error = process.StandardError.ReadToEndAsync();
            string? url = null;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (url is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    url = ListeningOn().Match(line) is { Success: true } match ? match.Groups[1].Value : null;
                }
            }

            Assert.True(url is not null, $"no listening line; stderr: {(process.HasExited ? await error : "")}");
            _ = process.StandardOutput.ReadToEndAsync();
            var address = new Uri(url);
            using var expected = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificate));

            // The handshake as any client makes it: the server's certificate is the configured one, the protocol 1.2+.
            using (var tcp = new TcpClient())
            {
                await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
                await using var tls = new SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented is not null && presented.GetCertHashString() == expected.GetCertHashString());
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
                Assert.True(tls.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, tls.SslProtocol.ToString());
            }

            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == expected.GetCertHashString() };
            using var client = new HttpClient(handler) { BaseAddress = address };
            client.DefaultRequestHeaders.Add("X-Api-Key", Key);
            Assert.Equal("[]", await client.GetStringAsync(new Uri("/api/contracts", UriKind.Relative)));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_https_url_without_a_certificate_exits_2_naming_the_key()
    {
        var directory = Directory.CreateTempSubdirectory("controller-https-").FullName;
        try
        {
            using var process = Process.Start(StartInfo(directory, "--Controller:Urls=https://127.0.0.1:0"))!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(2, process.ExitCode);
            Assert.Contains("Controller:Https:CertificateFile is required", await error, StringComparison.Ordinal);
            _ = await output;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"Now listening on: (https://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
