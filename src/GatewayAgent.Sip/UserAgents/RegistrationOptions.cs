using GatewayAgent.Domain.Durations;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>Registration to a registrar with digest authentication ("Agent:Sip:Register").</summary>
public sealed class RegistrationOptions
{
    /// <summary>The registrar as "udp:192.0.2.1:5060" or "tcp:[2001:db8::1]:5060"; empty disables registration.</summary>
    public string? Registrar { get; set; }

    /// <summary>The user part of the address-of-record (and the digest username unless <see cref="AuthUser"/> is set).</summary>
    public string? User { get; set; }

    /// <summary>The digest username when it differs from <see cref="User"/>.</summary>
    public string? AuthUser { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// The user part of our Contact, which a proxy puts in the Request-URI of calls to the address-of-record; set it
    /// to the monitoring number when the AOR user is an account name. Defaults to <see cref="User"/>.
    /// </summary>
    public string? ContactUser { get; set; }

    /// <summary>The domain of the address-of-record; defaults to the registrar's address.</summary>
    public string? Domain { get; set; }

    /// <summary>The registration lifetime asked for.</summary>
    [DurationRange("00:00:30", "1.00:00:00")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>First retry delay after a failure; doubles up to <see cref="RetryMax"/>, with ±20 % jitter.</summary>
    [DurationRange("00:00:00.100", "01:00:00")]
    public TimeSpan RetryMin { get; set; } = TimeSpan.FromSeconds(2);

    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Registrar);
}
