using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Probing;

/// <summary>The prober's settings (configuration section <see cref="SectionName"/>); see docs/probing.md.</summary>
public sealed class ProbingOptions
{
    public const string SectionName = "Controller:Probing";

    /// <summary>One probe per contract per interval (FN-3), unless the contract sets its own.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The probe interval of a contract after a dying gasp (power.lost, wan.down, offline) until the detector settles.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan FastInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>No 180/183/2xx/486/600 within this time is a miss; after a provisional the call is cancelled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>The most probes dialling at once; further due probes wait for a free slot.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrent { get; set; } = 5000;

    /// <summary>
    /// Random jitter added to each contract's stable phase, at most this and at most a tenth of the contract's interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Jitter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The round: at the start of each round the contract list is re-read and the canary is probed. A miss counts only
    /// when the canary of its round answered (and its post-miss check, see <see cref="CanarySpacing"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Round { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The prober's SIP listener, e.g. udp:0.0.0.0:5070 in production (udp:127.0.0.1:0 = loopback, any free port).</summary>
    [Required]
    public string Listen { get; set; } = "udp:127.0.0.1:0";

    /// <summary>SIP URI of a target known to be up (the self-check), e.g. sip:0300000000@192.0.2.5:5060; empty = no canary.</summary>
    public string? Canary { get; set; }

    /// <summary>
    /// The least time between the starts of two canary calls (at most one dials at a time). A miss is confirmed by a
    /// canary call started after it was observed, shared by every miss waiting then: it is recorded at most this plus
    /// one canary call after it was observed, and a canary outage costs at most one canary call per this much time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan CanarySpacing { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The number dialled at the canary, when it differs from the user part of <see cref="Canary"/>.</summary>
    public string? CanaryNumber { get; set; }

    /// <summary>Optional next hop for the canary's INVITE (udp:host:port), like a contract's outbound proxy.</summary>
    public string? CanaryOutboundProxy { get; set; }

    /// <summary>The caller number presented in From (FN-11: calling it back gets busy).</summary>
    [Required]
    [RegularExpression("^[0-9A-Za-z+._-]{1,32}$")]
    public string CallerNumber { get; set; } = "probe";

    /// <summary>End a probe with CANCEL at the first 180/183 instead of waiting for the answer and sending ACK+BYE.</summary>
    public bool EndOnRinging { get; set; }

    /// <summary>The canary as a probe target, or null when none is configured.</summary>
    internal ProbeTarget? CanaryTarget =>
        string.IsNullOrWhiteSpace(Canary) ? null : new ProbeTarget(0, Canary, CanaryNumber ?? "", string.IsNullOrWhiteSpace(CanaryOutboundProxy) ? null : CanaryOutboundProxy, null, null);
}
