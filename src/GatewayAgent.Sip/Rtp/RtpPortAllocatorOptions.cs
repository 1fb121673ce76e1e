using System.ComponentModel.DataAnnotations;
using System.Net;

namespace GatewayAgent.Sip.Rtp;

/// <summary>The UDP port range and address RTP sockets are bound on.</summary>
public sealed class RtpPortAllocatorOptions : IValidatableObject
{
    /// <summary>The lowest port handed out; rounded up to even.</summary>
    [Range(1024, 65534)]
    public int MinPort { get; set; } = 20000;

    /// <summary>The highest port that may be handed out (ports are even, so an odd maximum is never used itself).</summary>
    [Range(1024, 65535)]
    public int MaxPort { get; set; } = 20999;

    /// <summary>
    /// The address to bind; <c>::</c> (the default) for all IPv4 and IPv6 (dual mode; plain IPv4 on a host without
    /// IPv6), <c>0.0.0.0</c> for all IPv4.
    /// </summary>
    [Required]
    public string BindAddress { get; set; } = "::";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinPort > MaxPort)
        {
            yield return new ValidationResult($"{nameof(MinPort)} must not exceed {nameof(MaxPort)}.", [nameof(MinPort), nameof(MaxPort)]);
        }
        else if (MinPort + (MinPort % 2) > MaxPort)
        {
            yield return new ValidationResult("The range holds no even port.", [nameof(MinPort), nameof(MaxPort)]);
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            yield return new ValidationResult($"{nameof(BindAddress)} '{BindAddress}' is not an IP address.", [nameof(BindAddress)]);
        }
    }
}
