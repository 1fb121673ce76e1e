using GatewayAgent.Hardware;
using GatewayAgent.Hardware.Leds;
using GatewayAgent.Status;

namespace GatewayAgent.Board;

/// <summary>
/// What each status LED shows for a situation, and what each pattern means to a technician. hw/LEDS.md is this table
/// in prose; keep the two in step.
/// </summary>
public static class LedPolicy
{
    public static IReadOnlyDictionary<LedName, LedPattern> Decide(LedSituation s) => new Dictionary<LedName, LedPattern>
    {
        [LedName.Power] = s.BatteryLow ? LedPattern.FastBlink : s.Power switch
        {
            PowerSource.Mains => LedPattern.Steady,
            PowerSource.Battery => LedPattern.SlowBlink,
            _ => LedPattern.Off,
        },
        [LedName.Line] = Line(s),
        [LedName.Cloud] = s.Cloud switch
        {
            CloudState.Disabled => LedPattern.Off,
            CloudState.Connected => s.SpoolDepth > 0 ? LedPattern.SlowBlink : LedPattern.Steady,
            CloudState.Connecting => LedPattern.SlowBlink,
            _ => s.SpoolDepth > 0 ? LedPattern.FastBlink : LedPattern.SlowBlink,
        },
        [LedName.Alarm] = s.BatteryLow ? LedPattern.FastBlink
            : s.Power == PowerSource.Battery ? LedPattern.Steady
            : s.Wan == LinkState.Down ? LedPattern.SlowBlink
            : LedPattern.Off,
    };

    private static LedPattern Line(LedSituation s)
    {
        if (!s.SipRunning)
        {
            return LedPattern.Off;
        }

        if (s.Wan == LinkState.Down || !s.SipGateOpen || s.Registration == "failed")
        {
            return LedPattern.FastBlink;
        }

        if (s.Registration == "unregistered" || s.ProbesOverdue)
        {
            return LedPattern.SlowBlink;
        }

        return LedPattern.Steady;
    }

    /// <summary>The technician's reading of a pattern (as in hw/LEDS.md).</summary>
    public static string Meaning(LedName led, LedPattern pattern) => (led, pattern) switch
    {
        (LedName.Power, LedPattern.Steady) => "mains power",
        (LedName.Power, LedPattern.SlowBlink) => "on battery (mains lost)",
        (LedName.Power, LedPattern.FastBlink) => "battery low",
        (LedName.Power, _) => "no power information",
        (LedName.Line, LedPattern.Steady) => "SIP ready, probes arriving",
        (LedName.Line, LedPattern.SlowBlink) => "registering, or no probe answered for a long time",
        (LedName.Line, LedPattern.FastBlink) => "WAN down or registration failed: probes cannot arrive",
        (LedName.Line, _) => "SIP not running",
        (LedName.Cloud, LedPattern.Steady) => "connected to the controller",
        (LedName.Cloud, LedPattern.SlowBlink) => "connecting, or sending spooled events",
        (LedName.Cloud, LedPattern.FastBlink) => "disconnected, events waiting in the spool",
        (LedName.Cloud, _) => "telemetry disabled",
        (LedName.Alarm, LedPattern.Steady) => "power lost",
        (LedName.Alarm, LedPattern.SlowBlink) => "WAN down",
        (LedName.Alarm, LedPattern.FastBlink) => "battery low",
        (LedName.Alarm, _) => "all good",
        _ => "",
    };

    /// <summary>"steady", "slow-blink", ... as in telemetry and the status socket.</summary>
    public static string Name(LedPattern pattern) => pattern switch
    {
        LedPattern.Steady => "steady",
        LedPattern.SlowBlink => "slow-blink",
        LedPattern.FastBlink => "fast-blink",
        _ => "off",
    };

    public static LedPattern? Parse(string name) => name switch
    {
        "steady" => LedPattern.Steady,
        "slow-blink" => LedPattern.SlowBlink,
        "fast-blink" => LedPattern.FastBlink,
        "off" => LedPattern.Off,
        _ => null,
    };

    /// <summary>"power", "line", ... as in telemetry and the status socket.</summary>
    public static string Name(LedName led) => led.ToString().ToLowerInvariant();
}
