using GatewayAgent.Domain.Durations;
using System.ComponentModel.DataAnnotations;
using GatewayAgent.Domain.Numbers;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>How the agent answers probe calls (FN-3, FN-11).</summary>
public sealed class ProbeAnswererOptions
{
    /// <summary>The monitoring numbers this adapter answers (FN-2); matched after <see cref="PhoneNumber.Normalize"/>.</summary>
    public List<string> MonitorNumbers { get; set; } = [];

    /// <summary>Simultaneous calls (ringing or answered) before a new INVITE gets 486 (FN-11).</summary>
    [Range(1, 1000)]
    public int Channels { get; set; } = 2;

    /// <summary>Time between 180 Ringing and 200 OK.</summary>
    [DurationRange("00:00:00", "00:01:00")]
    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    /// <summary>After this long an answered call is ended by our BYE.</summary>
    [DurationRange("00:00:01", "01:00:00")]
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What the RTP stream carries.</summary>
    public RtpAudioContent Audio { get; set; } = RtpAudioContent.Silence;

    /// <summary>The Server / User-Agent header value.</summary>
    public string ProductName { get; set; } = "gateway-agent";
}
