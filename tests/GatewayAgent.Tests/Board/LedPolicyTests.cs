using GatewayAgent.Board;
using GatewayAgent.Hardware;
using GatewayAgent.Hardware.Leds;
using GatewayAgent.Status;

namespace GatewayAgent.Tests.Board;

/// <summary>The technician's table (hw/LEDS.md) as the code decides it.</summary>
[Trait("Ring", "unit")]
public sealed class LedPolicyTests
{
    private static readonly LedSituation AllGood = new()
    {
        Power = PowerSource.Mains,
        Wan = LinkState.Up,
        SipRunning = true,
        Registration = "registered",
        Cloud = CloudState.Connected,
    };

    [Fact]
    public void AllGood_IsSteadyPowerLineCloud_AndNoAlarm()
    {
        Assert.Equal(Patterns(LedPattern.Steady, LedPattern.Steady, LedPattern.Steady, LedPattern.Off), LedPolicy.Decide(AllGood));
    }

    public static TheoryData<LedSituation, LedName, LedPattern> Cases => new()
    {
        { AllGood with { Power = PowerSource.Battery }, LedName.Power, LedPattern.SlowBlink },
        { AllGood with { Power = PowerSource.Battery }, LedName.Alarm, LedPattern.Steady },
        { AllGood with { Power = PowerSource.Battery, BatteryLow = true }, LedName.Power, LedPattern.FastBlink },
        { AllGood with { Power = PowerSource.Battery, BatteryLow = true }, LedName.Alarm, LedPattern.FastBlink },
        { AllGood with { Power = PowerSource.Unknown }, LedName.Power, LedPattern.Off },
        { AllGood with { Wan = LinkState.Down }, LedName.Line, LedPattern.FastBlink },
        { AllGood with { Wan = LinkState.Down }, LedName.Alarm, LedPattern.SlowBlink },
        { AllGood with { SipGateOpen = false }, LedName.Line, LedPattern.FastBlink },
        { AllGood with { Registration = "failed" }, LedName.Line, LedPattern.FastBlink },
        { AllGood with { Registration = "unregistered" }, LedName.Line, LedPattern.SlowBlink },
        { AllGood with { Registration = "disabled" }, LedName.Line, LedPattern.Steady },
        { AllGood with { ProbesOverdue = true }, LedName.Line, LedPattern.SlowBlink },
        { AllGood with { SipRunning = false }, LedName.Line, LedPattern.Off },
        { AllGood with { Cloud = CloudState.Connecting }, LedName.Cloud, LedPattern.SlowBlink },
        { AllGood with { Cloud = CloudState.Connected, SpoolDepth = 3 }, LedName.Cloud, LedPattern.SlowBlink },
        { AllGood with { Cloud = CloudState.Disconnected, SpoolDepth = 3 }, LedName.Cloud, LedPattern.FastBlink },
        { AllGood with { Cloud = CloudState.Disabled }, LedName.Cloud, LedPattern.Off },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Situation_ShowsItsPattern(LedSituation situation, LedName led, LedPattern pattern)
    {
        Assert.Equal(pattern, LedPolicy.Decide(situation)[led]);
    }

    private static Dictionary<LedName, LedPattern> Patterns(LedPattern power, LedPattern line, LedPattern cloud, LedPattern alarm) => new()
    {
        [LedName.Power] = power,
        [LedName.Line] = line,
        [LedName.Cloud] = cloud,
        [LedName.Alarm] = alarm,
    };
}
