using GatewayAgent.Domain.Durations;

namespace GatewayAgent.Sip.Transactions;

/// <summary>The RFC 3261 §17 base timers; every other timer derives from them (Table 4).</summary>
public sealed class SipTimerOptions
{
    /// <summary>RTT estimate (default 500 ms).</summary>
    [DurationRange("00:00:00.010", "00:00:10")]
    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum retransmit interval for non-INVITE requests and INVITE responses (default 4 s).</summary>
    [DurationRange("00:00:00.010", "00:01:00")]
    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Maximum duration a message remains in the network (default 5 s).</summary>
    [DurationRange("00:00:00", "00:01:00")]
    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer B / F / H / J / L / M: 64·T1.</summary>
    public TimeSpan TransactionTimeout => 64 * T1;

    /// <summary>Timer D: at least 32 s on unreliable transports, zero on reliable ones.</summary>
    public static TimeSpan TimerD(bool reliable) => reliable ? TimeSpan.Zero : TimeSpan.FromSeconds(32);
}
