using GatewayAgent.Contracts;

namespace GatewayAgent.Status;

/// <summary>
/// The agent's live state, written by the part that owns each field (board → power/battery/inputs/LEDs, WAN monitor →
/// WAN, SIP → registration/calls/last probe, telemetry → cloud/spool) and read by the LEDs, the telemetry snapshot and
/// the local status socket. <see cref="Changed"/> fires after every change, outside the lock.
/// </summary>
public sealed class AgentStatus
{
    private readonly Lock _gate = new();
    private PowerSource _power = PowerSource.Unknown;
    private BatteryReading? _battery;
    private bool _batteryLow;
    private LinkState _wan = LinkState.Unknown;
    private string _registration = "disabled";
    private DateTimeOffset? _lastProbeAnswered;
    private CloudState _cloud = CloudState.Disabled;
    private long _spoolDepth;
    private string _board = "none";
    private IReadOnlyDictionary<string, string> _leds = new Dictionary<string, string>();
    private IReadOnlyDictionary<string, bool> _inputs = new Dictionary<string, bool>();

    public event Action? Changed;

    public PowerSource Power { get { lock (_gate) { return _power; } } set => Set(ref _power, value); }
    public BatteryReading? Battery { get { lock (_gate) { return _battery; } } set => Set(ref _battery, value); }
    public bool BatteryLow { get { lock (_gate) { return _batteryLow; } } set => Set(ref _batteryLow, value); }
    public LinkState Wan { get { lock (_gate) { return _wan; } } set => Set(ref _wan, value); }
    /// <summary>"registered", "unregistered", "failed" or "disabled".</summary>
    public string Registration { get { lock (_gate) { return _registration; } } set => Set(ref _registration, value); }
    public DateTimeOffset? LastProbeAnswered { get { lock (_gate) { return _lastProbeAnswered; } } set => Set(ref _lastProbeAnswered, value); }
    public CloudState Cloud { get { lock (_gate) { return _cloud; } } set => Set(ref _cloud, value); }
    public long SpoolDepth { get { lock (_gate) { return _spoolDepth; } } set => Set(ref _spoolDepth, value); }
    /// <summary>Which board runs: "sim", "rpi", "libgpiod" (with the pin map name).</summary>
    public string Board { get { lock (_gate) { return _board; } } set => Set(ref _board, value); }
    /// <summary>LED name → pattern name, as in <see cref="TelemetrySnapshot.Leds"/>.</summary>
    public IReadOnlyDictionary<string, string> Leds { get { lock (_gate) { return _leds; } } set => Set(ref _leds, value); }
    /// <summary>Debounced input name ("power-good", "battery-low", "button") → active.</summary>
    public IReadOnlyDictionary<string, bool> Inputs { get { lock (_gate) { return _inputs; } } set => Set(ref _inputs, value); }

    private void Set<T>(ref T field, T value)
    {
        lock (_gate)
        {
            if (EqualityComparer<T>.Default.Equals(field, value))
            {
                return;
            }

            field = value;
        }

        Changed?.Invoke();
    }
}
