using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Sip.Security;

/// <summary>Which sources may send requests, and how fast each may send.</summary>
public sealed class SourceGuardOptions
{
    /// <summary>CIDR blocks (or single addresses) allowed to send requests; empty allows any source.</summary>
    public List<string> AllowedSources { get; set; } = [];

    public SourceRejectMode RejectMode { get; set; } = SourceRejectMode.Reject;

    /// <summary>
    /// CIDR blocks (or addresses) of the known probers, whose datagrams are handled ahead of everyone else's and shed
    /// last under a flood (issue 12 item 2). Empty: the <see cref="AllowedSources"/> are the probers.
    /// </summary>
    public List<string> ProberSources { get; set; } = [];

    /// <summary>Sustained messages per second accepted from one source IP; 0 disables the limit.</summary>
    [Range(0, 1_000_000)]
    public double RateLimitPerSecond { get; set; } = 200;

    /// <summary>Messages one source may send in a burst above the sustained rate.</summary>
    [Range(1, 10_000_000)]
    public int RateLimitBurst { get; set; } = 400;

    /// <summary>Sources tracked at once by the rate limiter; idle ones are forgotten first.</summary>
    [Range(16, 10_000_000)]
    public int MaxTrackedSources { get; set; } = 10_000;
}
