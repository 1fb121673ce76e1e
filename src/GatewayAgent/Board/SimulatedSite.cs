using System.Globalization;
using GatewayAgent.Contracts;
using GatewayAgent.Hardware.Inputs;
using GatewayAgent.Hardware.PinMaps;
using GatewayAgent.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Board;

/// <summary>
/// The lab site behind the simulated board: "sim set" drives the simulated inputs, the simulated WAN and the battery
/// voltage. A simulated WAN cut closes the <see cref="WanGate"/> (the SIP leg hears nothing, like a cut access line)
/// and reports wan.down; a simulated power cut also closes it when Agent:Board:Simulation:SipDownOnPowerLoss is on
/// (the ONU/router is not on the UPS), without a wan.down.
/// </summary>
public sealed class SimulatedSite : IDisposable
{
    /// <summary>The names "sim set" accepts and the values each takes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        [PinMap.PowerGood] = "0|1",
        [PinMap.BatteryLow] = "0|1",
        ["button"] = "press|long|0|1",
        ["wan"] = "0|1",
        ["battery-volts"] = "a voltage, e.g. 7.4",
    };

    /// <summary>How long "button=press" holds the simulated button.</summary>
    public static readonly TimeSpan ShortPressHold = TimeSpan.FromMilliseconds(300);

    private readonly AgentBoard _board;
    private readonly AgentStatus _status;
    private readonly AgentEventHub _events;
    private readonly WanGate _gate;
    private readonly TimeProvider _time;
    private readonly BoardOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<ITimer> _releases = [];
    private bool _wanUp = true;

    public SimulatedSite(AgentBoard board, AgentStatus status, AgentEventHub events, WanGate gate, TimeProvider time, IOptions<BoardOptions> options,
        ILogger<SimulatedSite> logger)
    {
        _board = board;
        _status = status;
        _events = events;
        _gate = gate;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public bool IsActive => _board.IsSimulated && _board.Hardware is not null;

    public void Start()
    {
        if (!IsActive)
        {
            return;
        }

        _board.Hardware!.PowerGood.Changed += OnPowerGood;
        _status.Wan = LinkState.Up;
        UpdateGate();
    }

    /// <summary>Checks a "sim set" pair; null when it is fine, else the message naming what is wrong.</summary>
    public static string? Check(string name, string value)
    {
        if (!Settings.TryGetValue(name, out var values))
        {
            return $"unknown simulated input '{name}' (known: {string.Join(", ", Settings.Keys)})";
        }

        var ok = name switch
        {
            "button" => value is "press" or "long" or "0" or "1",
            "battery-volts" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var volts) && volts is >= 0 and <= 32,
            _ => value is "0" or "1",
        };
        return ok ? null : $"bad value '{value}' for {name} (expected {values})";
    }

    /// <summary>Applies "sim set" pairs in order; returns null, or the first pair's problem (then nothing is applied).</summary>
    public string? Set(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        if (!IsActive)
        {
            return $"the board is {_board.Selection.Kind}, not simulated: sim set only works with Agent:Board:Kind=sim";
        }

        foreach (var (name, value) in pairs)
        {
            if (Check(name, value) is { } problem)
            {
                return problem;
            }

            if (name == PinMap.BatteryLow && _board.Hardware!.BatteryLow is null)
            {
                return $"the pin map {_board.Hardware.PinMap.Name} has no battery-low input";
            }
        }

        foreach (var (name, value) in pairs)
        {
            BoardLog.SimulationSet(_logger, name, value);
            Apply(name, value);
        }

        return null;
    }

    private void Apply(string name, string value)
    {
        var board = _board.Hardware!;
        switch (name)
        {
            case "wan":
                SetWan(value == "1");
                break;
            case "battery-volts":
                _board.SimulatedBattery?.BusVolts = double.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "button" when value is "press" or "long":
                Drive(board.ButtonInput, true);
                var hold = value == "press" ? ShortPressHold : _options.LongPress + TimeSpan.FromMilliseconds(500);
                ReleaseAfter(board.ButtonInput, hold);
                break;
            case "button":
                Drive(board.ButtonInput, value == "1");
                break;
            case PinMap.BatteryLow:
                Drive(board.BatteryLow!, value == "1");
                break;
            case PinMap.PowerGood:
                Drive(board.PowerGood, value == "1");
                if (_board.SimulatedBattery is { } battery)
                {
                    battery.ShuntAmps = value == "1" ? -0.05 : 0.45; // charging a little on mains, feeding the adapter on battery
                }

                break;
        }
    }

    private void Drive(DebouncedInput input, bool active) => _board.SimulatedGpio!.SetInput(input.Pin, input.LevelFor(active));

    private void ReleaseAfter(DebouncedInput input, TimeSpan hold)
    {
        lock (_lock)
        {
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                Drive(input, false);
                lock (_lock)
                {
                    _releases.Remove(timer!);
                }

                timer!.Dispose();
            }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _releases.Add(timer);
            timer.Change(hold, Timeout.InfiniteTimeSpan);
        }
    }

    private void SetWan(bool up)
    {
        bool changed;
        lock (_lock)
        {
            changed = _wanUp != up;
            _wanUp = up;
        }

        UpdateGate();
        if (!changed)
        {
            return;
        }

        _status.Wan = up ? LinkState.Up : LinkState.Down;
        _events.Raise(up ? EventTypes.WanUp : EventTypes.WanDown, "sim");
        if (up)
        {
            BoardLog.WanUp(_logger, "sim");
        }
        else
        {
            BoardLog.WanDown(_logger, "sim", "down", false);
        }
    }

    private void OnPowerGood(InputChange change) => UpdateGate();

    private void UpdateGate()
    {
        bool open;
        bool powerGood = _board.Hardware!.PowerGood.IsActive;
        lock (_lock)
        {
            open = _wanUp && (powerGood || !_options.Simulation.SipDownOnPowerLoss);
        }

        if (_gate.IsOpen != open)
        {
            _gate.IsOpen = open;
            BoardLog.SimulatedGate(_logger, open ? "open" : "closed", _wanUp ? "up" : "down", powerGood ? "1" : "0");
        }
    }

    public void Dispose()
    {
        if (_board.Hardware is { } board)
        {
            board.PowerGood.Changed -= OnPowerGood;
        }

        lock (_lock)
        {
            _releases.ForEach(t => t.Dispose());
            _releases.Clear();
        }
    }
}
