using System.ComponentModel.DataAnnotations;
using System.Net;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Controller:Mqtt — the broker side of telemetry ingest (docs/ingest.md lists every key).</summary>
public sealed class ControllerMqttOptions : IValidatableObject
{
    public const string Section = "Controller:Mqtt";

    public MqttMode Mode { get; set; } = MqttMode.Embedded;

    /// <summary>Embedded: plain MQTT endpoint, "address:port" ("[::1]:1883" for IPv6). Empty disables it.</summary>
    public string Listen { get; set; } = "127.0.0.1:1883";

    /// <summary>Embedded: TLS endpoint "address:port"; empty (default) means no TLS endpoint.</summary>
    public string? TlsListen { get; set; }

    /// <summary>Embedded TLS: certificate file, PKCS#12 (.pfx/.p12) or PEM (.pem/.crt with <see cref="TlsKeyFile"/>).</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>Embedded TLS: PEM private key for a PEM certificate.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>Embedded TLS: password of a PKCS#12 certificate file.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>Embedded: the operator/controller account (full access). No password = account disabled.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string ControllerUsername { get; set; } = "controller";

    public string? ControllerPassword { get; set; }

    /// <summary>
    /// Embedded: the client id the controller account must connect with (default: <see cref="ControllerUsername"/>), or
    /// this plus "." and a tool's name ("controller.dashboard"): a site id never has a dot, so the account can never take
    /// over a site's session, and no site may use this client id (issue 12 item 8).
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_.-]{0,64}$")]
    public string? ControllerClientId { get; set; }

    internal string ControllerClientIdOrDefault => string.IsNullOrEmpty(ControllerClientId) ? ControllerUsername : ControllerClientId;

    /// <summary>External: broker host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>External: broker port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>External: user name of this controller at the broker.</summary>
    public string? Username { get; set; }

    /// <summary>External: password of this controller at the broker.</summary>
    public string? Password { get; set; }

    /// <summary>External: connect with TLS (certificate validated against the system store).</summary>
    public bool UseTls { get; set; }

    /// <summary>External: MQTT client id of this controller node; empty = "gateway-controller-" + a random suffix.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{0,64}$")]
    public string? ClientId { get; set; }

    /// <summary>External: MQTT 5 shared-subscription group ($share/{group}/...); empty subscribes unshared.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{0,64}$")]
    public string? SharedGroup { get; set; } = "controllers";

    /// <summary>External: first reconnect delay; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>External: MQTT keep-alive of the controller's connection.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// External: MQTT 5 Receive Maximum of the controller's session — QoS 1 messages the broker may have sent to this node
    /// before it acknowledged them (a message is acknowledged once it is in the ingest queue). mosquitto uses it instead
    /// of its max_inflight_messages (20); messages beyond it wait in the broker's queue for this node (max_queued_messages).
    /// </summary>
    [Range(1, 65535)]
    public int ReceiveMaximum { get; set; } = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == MqttMode.Embedded)
        {
            if (!string.IsNullOrEmpty(Listen) && !TryParseEndpoint(Listen, out _))
            {
                yield return new ValidationResult("Controller:Mqtt:Listen must be address:port, e.g. 127.0.0.1:1883", [nameof(Listen)]);
            }

            if (!string.IsNullOrEmpty(TlsListen))
            {
                if (!TryParseEndpoint(TlsListen, out _))
                {
                    yield return new ValidationResult("Controller:Mqtt:TlsListen must be address:port, e.g. 0.0.0.0:8883", [nameof(TlsListen)]);
                }

                if (string.IsNullOrEmpty(TlsCertificateFile) || !File.Exists(TlsCertificateFile))
                {
                    yield return new ValidationResult("Controller:Mqtt:TlsCertificateFile must name an existing certificate file when TlsListen is set", [nameof(TlsCertificateFile)]);
                }
            }

            if (string.IsNullOrEmpty(Listen) && string.IsNullOrEmpty(TlsListen))
            {
                yield return new ValidationResult("Controller:Mqtt:Listen or Controller:Mqtt:TlsListen must be set in embedded mode", [nameof(Listen)]);
            }
        }
        else if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new ValidationResult("Controller:Mqtt:Host is required when Controller:Mqtt:Mode is External", [nameof(Host)]);
        }

        if (ReconnectMaxDelay < ReconnectMinDelay)
        {
            yield return new ValidationResult("Controller:Mqtt:ReconnectMaxDelay must not be below ReconnectMinDelay", [nameof(ReconnectMaxDelay)]);
        }
    }

    /// <summary>Parses "address:port" (IPv6 in brackets); the port may be 0 only in tests that read it back.</summary>
    public static bool TryParseEndpoint(string? text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (string.IsNullOrWhiteSpace(text) || !IPEndPoint.TryParse(text.Trim(), out var parsed) || parsed.Port <= 0)
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }
}
