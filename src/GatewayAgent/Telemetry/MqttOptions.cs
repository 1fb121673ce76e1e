using GatewayAgent.Domain.Durations;
using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Telemetry;

/// <summary>The "Agent:Mqtt" settings: where the broker is and how the agent proves who it is.</summary>
public sealed class MqttOptions : IValidatableObject
{
    public const string SectionName = "Agent:Mqtt";

    /// <summary>Broker host name or address. Empty: telemetry is off (the agent still answers probes).</summary>
    public string? Host { get; set; }

    /// <summary>Broker port; default 1883, or 8883 with <see cref="UseTls"/>.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>PEM file of the one CA that may sign the broker's certificate (pinned: the system store is not used).</summary>
    public string? CaFile { get; set; }

    /// <summary>Client certificate: a PEM certificate (with <see cref="KeyFile"/>) or a .pfx/.p12 bundle.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Password of a .pfx/.p12 <see cref="CertificateFile"/>.</summary>
    public string? CertificatePassword { get; set; }

    [DurationRange("00:00:05", "18:12:15")]
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>MQTT 5 session expiry: how long the broker keeps the session (subscriptions, queued commands) after a drop.</summary>
    [DurationRange("00:00:01", "49710.00:00:00")]
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    [DurationRange("00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromSeconds(1);

    [DurationRange("00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(60);

    [DurationRange("00:00:01", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port ?? (UseTls ? 8883 : 1883);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReconnectMin > ReconnectMax)
        {
            yield return new ValidationResult($"{SectionName}:ReconnectMin must not exceed ReconnectMax", [nameof(ReconnectMin)]);
        }

        if (!IsEnabled)
        {
            yield break;
        }

        foreach (var (name, file) in new[] { (nameof(CaFile), CaFile), (nameof(CertificateFile), CertificateFile), (nameof(KeyFile), KeyFile) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(file))
            {
                yield return new ValidationResult($"{SectionName}:{name}: file '{file}' does not exist", [name]);
            }
        }

        if (!string.IsNullOrEmpty(KeyFile) && string.IsNullOrEmpty(CertificateFile))
        {
            yield return new ValidationResult($"{SectionName}:KeyFile needs CertificateFile", [nameof(KeyFile)]);
        }

        if ((!string.IsNullOrEmpty(CaFile) || !string.IsNullOrEmpty(CertificateFile)) && !UseTls)
        {
            yield return new ValidationResult($"{SectionName}:UseTls must be true when CaFile or CertificateFile is set", [nameof(UseTls)]);
        }
    }
}
