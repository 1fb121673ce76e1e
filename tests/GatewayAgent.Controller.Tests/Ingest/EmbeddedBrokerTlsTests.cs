using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GatewayAgent.Contracts;
using MQTTnet;
using MQTTnet.Formatter;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>The embedded broker's TLS endpoint, with a PEM certificate and key as an installer would provide them.</summary>
[Trait("Ring", "integration")]
public sealed class EmbeddedBrokerTlsTests
{
    [Fact]
    public async Task A_site_connects_over_tls_and_its_events_are_ingested()
    {
        var directory = Directory.CreateTempSubdirectory("ingest-tls-").FullName;
        try
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certFile = Path.Combine(directory, "broker.crt");
            var keyFile = Path.Combine(directory, "broker.key");
            await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
            var tlsPort = FreePort.Next();

            await using var host = await IngestTestHost.StartEmbeddedAsync(
                sites => sites.Add("site-t", "pw-t", 77),
                new Dictionary<string, string?>
                {
                    ["Controller:Mqtt:Listen"] = string.Empty,
                    ["Controller:Mqtt:TlsListen"] = $"127.0.0.1:{tlsPort}",
                    ["Controller:Mqtt:TlsCertificateFile"] = certFile,
                    ["Controller:Mqtt:TlsKeyFile"] = keyFile,
                });

            using var client = new MqttClientFactory().CreateMqttClient();
            var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", tlsPort)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId("site-t")
                .WithCredentials("site-t", "pw-t")
                .WithTlsOptions(tls => tls.UseTls(true).WithTargetHost("localhost").WithCertificateValidationHandler(
                    e => e.Certificate is not null && e.Certificate.GetCertHashString() == certificate.GetCertHashString()))
                .Build());
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);

            await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(Topics.Events("site-t"))
                .WithPayload(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
                    SimulatedSite.Event("tls-1", 1, EventTypes.PowerLost, host.Clock.GetUtcNow()), ContractsJsonContext.Default.AgentEvent))
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());

            Assert.Equal((77L, EventTypes.PowerLost), await host.FastProbing.NextAsync(IngestTestHost.Timeout));
            await client.DisconnectAsync(new MqttClientDisconnectOptions());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
