using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// The MQTT broker (Agent:Mqtt) accepts a connection with the agent's credentials and TLS settings, within a short
/// timeout. Tells "cannot connect" (address, port, firewall, TLS) from "not authorized" (user name, password, ACL).
/// Connects as "{siteId}-doctor" so the running agent's session is left alone.
/// </summary>
public sealed class BrokerCheck : IDoctorCheck
{
    public const string Name = "broker";

    private readonly TimeSpan _timeout;

    public BrokerCheck(TimeSpan timeout) => _timeout = timeout;

    public async Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IConfiguration configuration, CancellationToken cancellationToken) =>
        [await CheckAsync(configuration.GetSection("Agent:Mqtt"), configuration["Agent:SiteId"], cancellationToken).ConfigureAwait(false)];

    private async Task<DoctorCheckResult> CheckAsync(IConfigurationSection mqtt, string? siteId, CancellationToken cancellationToken)
    {
        var host = mqtt["Host"];
        if (string.IsNullOrWhiteSpace(host))
        {
            return DoctorCheckResult.Warn(Name, "no broker configured (Agent:Mqtt:Host): the agent sends no telemetry");
        }

        var useTls = bool.TryParse(mqtt["UseTls"], out var tls) && tls;
        var port = int.TryParse(mqtt["Port"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : useTls ? 8883 : 1883;
        var broker = $"{host}:{port}{(useTls ? " (TLS)" : "")}";
        X509Certificate2? ca = null;
        try
        {
            if (mqtt["CaFile"] is { Length: > 0 } caFile)
            {
                if (!File.Exists(caFile))
                {
                    return DoctorCheckResult.Fail(Name, $"Agent:Mqtt:CaFile {caFile} does not exist");
                }

                ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            }

            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId($"{(string.IsNullOrEmpty(siteId) ? "gateway-agent" : siteId)}-doctor")
                .WithCleanStart()
                .WithTimeout(_timeout);
            if (mqtt["Username"] is { Length: > 0 } username)
            {
                builder.WithCredentials(username, mqtt["Password"] ?? "");
            }

            if (useTls)
            {
                builder.WithTlsOptions(o =>
                {
                    o.UseTls().WithTargetHost(host);
                    if (ca is not null)
                    {
                        o.WithCertificateValidationHandler(e => TrustedBy(ca, e.Certificate, e.SslPolicyErrors));
                    }
                });
            }

            using var client = new MqttClientFactory().CreateMqttClient();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_timeout);
            MqttClientConnectResult result;
            try
            {
                result = await client.ConnectAsync(builder.Build(), deadline.Token).ConfigureAwait(false);
            }
            catch (MQTTnet.Adapter.MqttConnectingFailedException ex)
            {
                // Raised for a refusal the client could not read as a CONNACK result: keep the broker's words.
                var code = Enum.GetValues<MqttClientConnectResultCode>().FirstOrDefault(
                    c => c != MqttClientConnectResultCode.Success && ex.Message.Contains(c.ToString(), StringComparison.Ordinal),
                    MqttClientConnectResultCode.UnspecifiedError);
                return Refused(broker, code, ex.Message);
            }

            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                return Refused(broker, result.ResultCode, result.ReasonString);
            }

            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            return DoctorCheckResult.Pass(Name, $"{broker}: connected and authorized{(mqtt["Username"] is { Length: > 0 } u ? " as " + u : " (anonymous)")}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DoctorCheckResult.Fail(Name, $"{broker}: cannot connect: no answer within {_timeout.TotalSeconds:F0} s");
        }
        catch (Exception ex) when (ex is MqttCommunicationException or System.Net.Sockets.SocketException or IOException or System.Security.Authentication.AuthenticationException or System.Security.Cryptography.CryptographicException)
        {
            return DoctorCheckResult.Fail(Name, $"{broker}: cannot connect: {Describe(ex)}");
        }
        finally
        {
            ca?.Dispose();
        }
    }

    private static DoctorCheckResult Refused(string broker, MqttClientConnectResultCode code, string? reason)
    {
        var authorization = code is MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadUserNameOrPassword
            or MqttClientConnectResultCode.BadAuthenticationMethod or MqttClientConnectResultCode.ClientIdentifierNotValid or MqttClientConnectResultCode.Banned;
        var detail = $"{code}{(string.IsNullOrEmpty(reason) ? "" : ": " + reason)}";
        return DoctorCheckResult.Fail(Name, authorization
            ? $"{broker}: not authorized ({detail}): check Agent:Mqtt:Username and Agent:Mqtt:Password"
            : $"{broker}: connection refused by the broker ({detail})");
    }

    private static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(": ", messages);
    }

    private static bool TrustedBy(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
