namespace GatewayAgent.Hardware.Tests;

[Trait("Ring", "unit")]
public class LedPatternTests
{
    [Fact]
    public void Four_patterns_exist_as_documented_in_hw_LEDS()
    {
        Assert.Equal(["Off", "Steady", "SlowBlink", "FastBlink"], Enum.GetNames<LedPattern>());
    }
}
