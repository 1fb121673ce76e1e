using System.Device.Gpio;
using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Hardware.Inputs;

/// <summary>
/// One digital input (power-good, battery-low, button) read through a <see cref="GpioController"/> the caller owns.
/// An edge is reported once the level has stayed put for the pin's debounce time; a bounce shorter than that is
/// never reported. The report carries the time of the edge, not the time the debounce ended, and is raised on the
/// timer's thread without queueing, so a power.lost can leave within milliseconds of the debounce.
/// </summary>
public sealed class DebouncedInput : IDisposable
{
    private readonly GpioController _controller;
    private readonly InputPinDefinition _definition;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _active;
    private DateTimeOffset _lastEdgeAt;
    private bool _disposed;

    public DebouncedInput(string name, GpioController controller, InputPinDefinition definition, TimeProvider time)
    {
        Name = name;
        _controller = controller;
        _definition = definition;
        _time = time;
        var mode = definition.Pull switch
        {
            PinPull.Up => PinMode.InputPullUp,
            PinPull.Down => PinMode.InputPullDown,
            _ => PinMode.Input,
        };
        if (!controller.IsPinOpen(definition.Pin))
        {
            controller.OpenPin(definition.Pin, mode);
        }
        else
        {
            controller.SetPinMode(definition.Pin, mode);
        }

        _timer = time.CreateTimer(_ => OnStable(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _active = IsActiveLevel(controller.Read(definition.Pin));
        _lastEdgeAt = time.GetUtcNow();
        controller.RegisterCallbackForPinValueChangedEvent(definition.Pin, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge);
    }

    /// <summary>Raised when the debounced level changes.</summary>
    public event Action<InputChange>? Changed;

    public string Name { get; }

    public int Pin => _definition.Pin;

    /// <summary>The debounced state: true when the input is at its active level.</summary>
    public bool IsActive
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>The electrical level that means active/inactive for this pin (used by the simulated board).</summary>
    public PinValue LevelFor(bool active) => active == (_definition.Active == PinActiveLevel.High) ? PinValue.High : PinValue.Low;

    private bool IsActiveLevel(PinValue value) => (value == PinValue.High) == (_definition.Active == PinActiveLevel.High);

    private void OnEdge(object sender, PinValueChangedEventArgs args)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _lastEdgeAt = now;
            if (_definition.Debounce > TimeSpan.Zero)
            {
                // Every edge restarts the wait: only a level that held for the whole debounce time counts.
                _timer.Change(_definition.Debounce, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        OnStable();
    }

    private void OnStable()
    {
        InputChange change;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var active = IsActiveLevel(_controller.Read(_definition.Pin));
            if (active == _active)
            {
                return; // a bounce that came back to where it was
            }

            _active = active;
            change = new InputChange(Name, active, _lastEdgeAt);
        }

        Changed?.Invoke(change);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _controller.UnregisterCallbackForPinValueChangedEvent(_definition.Pin, OnEdge);
        _timer.Dispose();
    }
}
