using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using GatewayAgent.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace GatewayAgent.Telemetry;

/// <summary>
/// Builds the MQTT 5 CONNECT of one session: persistent session (CleanStart=false, SessionExpiryInterval), the Last
/// Will (retained offline state with this session's bdSeq), credentials and TLS with the pinned CA and client certificate.
/// </summary>
public sealed class MqttConnectionOptions
{
    private readonly MqttOptions _options;
    private readonly string _siteId;
    private readonly X509Certificate2? _ca;
    private readonly X509Certificate2Collection? _clientCertificates;

    public MqttConnectionOptions(MqttOptions options, string siteId)
    {
        _options = options;
        _siteId = siteId;
        if (!string.IsNullOrEmpty(options.CaFile))
        {
            _ca = X509CertificateLoader.LoadCertificateFromFile(options.CaFile);
        }

        if (!string.IsNullOrEmpty(options.CertificateFile))
        {
            var file = options.CertificateFile;
            var certificate = file.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? X509CertificateLoader.LoadPkcs12FromFile(file, options.CertificatePassword)
                : X509Certificate2.CreateFromPemFile(file, options.KeyFile);
            _clientCertificates = [certificate];
        }
    }

    public string Broker => $"{_options.Host}:{_options.EffectivePort}";

    public MqttClientOptions Build(long bdSeq, TimeProvider time)
    {
        var will = JsonSerializer.SerializeToUtf8Bytes(
            new AgentState { Online = false, BdSeq = bdSeq, Ts = time.GetUtcNow(), Reason = "will" },
            ContractsJsonContext.Default.AgentState);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.EffectivePort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_siteId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)Math.Min(uint.MaxValue, _options.SessionExpiry.TotalSeconds))
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.ConnectTimeout)
            .WithWillTopic(Topics.State(_siteId))
            .WithWillPayload(will)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json");
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder.WithCredentials(_options.Username, _options.Password ?? "");
        }

        if (_options.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(_options.Host);
                if (_ca is not null)
                {
                    tls.WithCertificateValidationHandler(e => ValidateAgainstPinnedCa(e.Certificate, e.SslPolicyErrors));
                }

                if (_clientCertificates is not null)
                {
                    tls.WithClientCertificates(_clientCertificates);
                }
            });
        }

        return builder.Build();
    }

    /// <summary>Only the configured CA may sign the broker's certificate, and the name must match the host.</summary>
    private bool ValidateAgainstPinnedCa(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || _ca is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ||
            errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
