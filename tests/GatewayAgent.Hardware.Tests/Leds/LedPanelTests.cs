using System.Device.Gpio;
using GatewayAgent.Hardware.Leds;
using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Hardware.Tests.Leds;

[Trait("Ring", "unit")]
public sealed class LedPanelTests
{
    [Theory]
    [InlineData(LedPattern.Off, "00000000")]
    [InlineData(LedPattern.Steady, "11111111")]
    [InlineData(LedPattern.FastBlink, "10101010")] // 4 Hz: 125 ms on, 125 ms off
    [InlineData(LedPattern.SlowBlink, "11110000")] // 1 Hz: 500 ms on, 500 ms off
    public void Pattern_DrivesThePin_OverTime(LedPattern pattern, string levelsEvery125Ms)
    {
        using var board = new TestBoard();
        using var panel = new LedPanel(board.Controller, TestBoard.Leds(), board.Time);

        panel.SetPattern(LedName.Line, pattern);
        var seen = "";
        for (var i = 0; i < 16; i++)
        {
            seen += board.Driver.GetLevel(21) == PinValue.High ? "1" : "0";
            board.Advance(125);
        }

        Assert.Equal(levelsEvery125Ms + levelsEvery125Ms, seen);
        Assert.Equal(PinValue.Low, board.Driver.GetLevel(20)); // the others stay off
    }

    [Fact]
    public void ActiveLowLed_IsLitByALowLevel()
    {
        using var board = new TestBoard();
        using var panel = new LedPanel(board.Controller, TestBoard.Leds(PinActiveLevel.Low), board.Time);
        Assert.Equal(PinValue.High, board.Driver.GetLevel(23));

        panel.SetPattern(LedName.Alarm, LedPattern.Steady);

        Assert.Equal(PinValue.Low, board.Driver.GetLevel(23));
    }

    [Fact]
    public async Task LedTest_LightsEachInTurn_ThenAll_ThenRestoresThePatterns()
    {
        using var board = new TestBoard();
        using var panel = new LedPanel(board.Controller, TestBoard.Leds(), board.Time);
        panel.SetPattern(LedName.Power, LedPattern.Steady);
        string Lit() => string.Concat(new[] { 20, 21, 22, 23 }.Select(p => board.Driver.GetLevel(p) == PinValue.High ? "1" : "0"));

        var test = panel.RunTestAsync(CancellationToken.None);
        var seen = new List<string> { Lit() };
        for (var i = 0; i < 4; i++)
        {
            board.Advance(500);
            seen.Add(Lit());
        }

        board.Advance(1000);
        await test;

        Assert.Equal(["1000", "0100", "0010", "0001", "1111"], seen);
        Assert.Equal("1000", Lit());
    }
}
