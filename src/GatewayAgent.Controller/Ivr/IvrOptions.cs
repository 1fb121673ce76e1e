using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// "Controller:Ivr": the temporary-password IVR (SS-3). Off until <see cref="Listen"/> names an address; then
/// <see cref="AccessNumber"/> and <see cref="TrustedEdges"/> are required. Subsection Rtp binds the RTP port range
/// (MinPort, MaxPort, BindAddress).
/// </summary>
public sealed class IvrOptions
{
    public const string SectionName = "Controller:Ivr";

    /// <summary>SIP listen addresses, "udp:0.0.0.0:5080" or "tcp:..."; empty (the default) keeps the IVR off.</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>The number callers dial (the Request-URI's user, compared after normalising).</summary>
    public string? AccessNumber { get; set; }

    /// <summary>
    /// Addresses or CIDR blocks of the edge routers that assert the calling line in <c>P-Asserted-Identity</c>; requests
    /// from anywhere else get 403 (docs/security.md).
    /// </summary>
    public List<string> TrustedEdges { get; set; } = [];

    /// <summary>
    /// Addresses or CIDR blocks RTP may also come from (and so prompts go to) besides the INVITE's source: the carrier's
    /// media gateways. Empty: only RTP from the edge's own address is accepted.
    /// </summary>
    public List<string> MediaSources { get; set; } = [];

    /// <summary>The prompt files' directory, relative to the controller's binary when not absolute.</summary>
    [Required]
    public string PromptDirectory { get; set; } = "ivr-prompts";

    /// <summary>Time allowed for each key, from a step's start and from each key; longer than the longest prompt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan InterDigitTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>An IVR call is ended by our BYE after this, whatever its step.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Calls at once; beyond them 486.</summary>
    [Range(1, 10_000)]
    public int MaxCalls { get; set; } = 50;

    /// <summary>Whether the IVR runs.</summary>
    public bool IsEnabled => Listen.Count > 0;
}
