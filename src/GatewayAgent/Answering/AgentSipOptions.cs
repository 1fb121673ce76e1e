using System.ComponentModel.DataAnnotations;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Answering;

/// <summary>
/// The "Agent:Sip" settings the host itself reads. The same section also binds <c>ProbeAnswererOptions</c>
/// (MonitorNumbers, Channels, AnswerDelay, MaxCallDuration, Audio) and <c>SourceGuardOptions</c> (AllowedSources,
/// RejectMode, RateLimitPerSecond, RateLimitBurst); subsections Timers, Transport, Rtp and Register bind theirs.
/// </summary>
public sealed class AgentSipOptions : IValidatableObject
{
    public const string SectionName = "Agent:Sip";

    /// <summary>Where to listen: "udp:0.0.0.0:5060", "tcp:[::]:5060", ...</summary>
    /// <summary>
    /// Empty means udp and tcp on 0.0.0.0:5060. The default lives here, not in appsettings.json, so a list given anywhere
    /// replaces it as a whole (.NET configuration merges arrays by index; issue 12 item 4, <see cref="ListenOverrideValidator"/>).
    /// </summary>
    public List<string> Listen { get; set; } = [];

    public IEnumerable<SipListenAddress> ListenAddresses() =>
        (Listen.Count == 0 ? ["udp:0.0.0.0:5060", "tcp:0.0.0.0:5060"] : Listen).Select(SipListenAddress.Parse);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Listen.Count; i++)
        {
            if (!SipListenAddress.TryParse(Listen[i], out _, out var error))
            {
                yield return new ValidationResult($"Agent:Sip:Listen:{i} '{Listen[i]}': {error}", [nameof(Listen)]);
            }
        }
    }
}
