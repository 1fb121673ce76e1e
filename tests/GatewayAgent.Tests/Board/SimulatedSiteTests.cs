using GatewayAgent.Board;
using GatewayAgent.Contracts;
using GatewayAgent.Hardware.Button;
using GatewayAgent.Status;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Tests.Board;

/// <summary>The simulated site on the simulated board with a fake clock: WAN gate, events and button timing.</summary>
[Trait("Ring", "unit")]
public sealed class SimulatedSiteTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly AgentStatus _status = new();
    private readonly WanGate _gate = new();
    private readonly List<AgentEventNotice> _raised = [];
    private AgentBoard? _board;
    private SimulatedSite? _site;

    private SimulatedSite Start(BoardOptions options)
    {
        var events = new AgentEventHub(_time);
        events.Subscribe(_raised.Add);
        _board = new AgentBoard(Options.Create(options), _time, NullLogger<AgentBoard>.Instance);
        if (_board.IsSimulated)
        {
            _board.Open();
        }

        _site = new SimulatedSite(_board, _status, events, _gate, _time, Options.Create(options), NullLogger<SimulatedSite>.Instance);
        _site.Start();
        return _site;
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Pairs(params string[] pairs) =>
        [.. pairs.Select(p => new KeyValuePair<string, string>(p.Split('=')[0], p.Split('=')[1]))];

    [Fact]
    public void OnARealBoard_SimSet_IsRefused()
    {
        var site = Start(new BoardOptions { Kind = "rpi", DeviceTreeModel = "/nonexistent" });

        Assert.StartsWith("the board is rpi, not simulated", site.Set(Pairs("wan=0")));
        Assert.True(_gate.IsOpen);
    }

    [Fact]
    public void WanCut_ClosesTheGate_AndReportsWanDown_ThenReopens()
    {
        var site = Start(new BoardOptions { Kind = "sim" });
        Assert.Equal(LinkState.Up, _status.Wan);

        Assert.Null(site.Set(Pairs("wan=0")));
        Assert.False(_gate.IsOpen);
        Assert.Equal(LinkState.Down, _status.Wan);
        Assert.Equal(EventTypes.WanDown, Assert.Single(_raised).Type);

        Assert.Null(site.Set(Pairs("wan=1")));
        Assert.True(_gate.IsOpen);
        Assert.Equal(EventTypes.WanUp, _raised[1].Type);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void PowerCut_ClosesTheGate_OnlyWhenTheRouterIsNotOnTheUps(bool sipDownOnPowerLoss, bool openAfter)
    {
        var site = Start(new BoardOptions { Kind = "sim", Simulation = new BoardSimulationOptions { SipDownOnPowerLoss = sipDownOnPowerLoss } });

        site.Set(Pairs("power-good=0"));
        Assert.True(_gate.IsOpen); // not before the debounce
        _time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(openAfter, _gate.IsOpen);
        Assert.DoesNotContain(_raised, e => e.Type == EventTypes.WanDown);
        site.Set(Pairs("power-good=1"));
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(_gate.IsOpen);
    }

    [Theory]
    [InlineData("press", ButtonPress.Short)]
    [InlineData("long", ButtonPress.Long)]
    public void ButtonPressAndLong_AreRecognisedAsSuch(string value, ButtonPress expected)
    {
        var site = Start(new BoardOptions { Kind = "sim" });
        var presses = new List<ButtonPress>();
        _board!.Hardware!.Button.Pressed += (press, _) => presses.Add(press);

        site.Set(Pairs($"button={value}"));
        for (var i = 0; i < 500; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10)); // steps: a timer set by a timer counts from the fake now
        }

        Assert.Equal([expected], presses);
        Assert.False(_board.Hardware.ButtonInput.IsActive);
    }

    [Fact]
    public void BatteryVolts_DriveTheSimulatedGauge()
    {
        var site = Start(new BoardOptions { Kind = "sim" });

        site.Set(Pairs("battery-volts=7.2"));

        Assert.Equal(50, _board!.Hardware!.Battery!.Read().ChargePercent, precision: 0);
    }

    public void Dispose()
    {
        _site?.Dispose();
        _board?.Dispose();
    }
}
