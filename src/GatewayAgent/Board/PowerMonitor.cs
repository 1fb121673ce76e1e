using GatewayAgent.Contracts;
using GatewayAgent.Hardware;
using GatewayAgent.Hardware.Battery;
using GatewayAgent.Hardware.Inputs;
using GatewayAgent.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Board;

/// <summary>
/// Mains and battery. On the debounced power-good edge to inactive it sets <see cref="AgentStatus.Power"/> to battery
/// and raises power.lost on the <see cref="AgentEventHub"/> at once, on the debounce timer's thread, stamped with the
/// edge time: the telemetry listener can publish the dying gasp within milliseconds (DESIGN key flow 5). The battery
/// is low when the UPS's battery-low input is active or the INA219's charge estimate is at or below the pin map's
/// lowPercent; the gauge is read every Agent:Board:BatteryPollInterval into <see cref="AgentStatus.Battery"/>.
/// </summary>
public sealed class PowerMonitor : IDisposable
{
    private readonly AgentStatus _status;
    private readonly AgentEventHub _events;
    private readonly TimeProvider _time;
    private readonly BoardOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private AdapterBoard? _board;
    private ITimer? _poll;
    private bool _inputLow;
    private bool _gaugeLow;
    private bool _low;
    private bool _gaugeFailed;

    public PowerMonitor(AgentStatus status, AgentEventHub events, TimeProvider time, IOptions<BoardOptions> options, ILogger<PowerMonitor> logger)
    {
        _status = status;
        _events = events;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public void Start(AdapterBoard board)
    {
        _board = board;
        _status.Power = board.PowerGood.IsActive ? PowerSource.Mains : PowerSource.Battery;
        board.PowerGood.Changed += OnPowerGood;
        if (board.BatteryLow is { } batteryLow)
        {
            _inputLow = batteryLow.IsActive;
            batteryLow.Changed += OnBatteryLowInput;
        }

        if (board.Battery is not null)
        {
            PollBattery();
            _poll = _time.CreateTimer(_ => PollBattery(), null, _options.BatteryPollInterval, _options.BatteryPollInterval);
        }

        UpdateLow(_time.GetUtcNow(), raise: false);
    }

    private void OnPowerGood(InputChange change)
    {
        if (change.Active)
        {
            _status.Power = PowerSource.Mains;
            _events.Raise(EventTypes.PowerRestored, at: change.At);
            BoardLog.PowerRestored(_logger, change.At);
        }
        else
        {
            // Status first (the listener may read it), then the event, then the log: nothing queued in between.
            _status.Power = PowerSource.Battery;
            _events.Raise(EventTypes.PowerLost, at: change.At);
            BoardLog.PowerLost(_logger, change.At);
        }
    }

    private void OnBatteryLowInput(InputChange change)
    {
        lock (_gate)
        {
            _inputLow = change.Active;
        }

        UpdateLow(change.At, raise: true);
    }

    /// <summary>Reads the INA219 once (also called by the poll timer).</summary>
    public void PollBattery()
    {
        if (_board?.Battery is not { } gauge)
        {
            return;
        }

        BatteryMeasurement reading;
        try
        {
            reading = gauge.Read();
            _gaugeFailed = false;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            if (!_gaugeFailed)
            {
                BoardLog.BatteryReadFailed(_logger, ex.Message);
            }

            _gaugeFailed = true;
            _status.Battery = null;
            return;
        }

        lock (_gate)
        {
            _gaugeLow = reading.Low;
        }

        _status.Battery = new BatteryReading { BusVolts = reading.BusVolts, Amps = reading.Amps, ChargePercent = reading.ChargePercent, Low = reading.Low };
        UpdateLow(_time.GetUtcNow(), raise: true);
    }

    private void UpdateLow(DateTimeOffset at, bool raise)
    {
        bool low;
        string reason;
        lock (_gate)
        {
            low = _inputLow || _gaugeLow;
            if (low == _low && raise)
            {
                return;
            }

            _low = low;
            reason = _inputLow ? "the UPS signals battery low" : "the battery gauge estimates a low charge";
        }

        _status.BatteryLow = low;
        if (!raise)
        {
            return;
        }

        if (low)
        {
            _events.Raise(EventTypes.BatteryLow, reason, at: at);
            BoardLog.BatteryLow(_logger, reason);
        }
        else
        {
            _events.Raise(EventTypes.BatteryOk, at: at);
            BoardLog.BatteryOk(_logger);
        }
    }

    public void Dispose()
    {
        _poll?.Dispose();
        if (_board is { } board)
        {
            board.PowerGood.Changed -= OnPowerGood;
            if (board.BatteryLow is { } batteryLow)
            {
                batteryLow.Changed -= OnBatteryLowInput;
            }
        }
    }
}
