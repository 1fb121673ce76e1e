using System.Device.Gpio;

namespace GatewayAgent.Hardware.Simulation;

/// <summary>
/// A GPIO chip in memory. Inputs are driven from outside with <see cref="SetInput"/> and raise the same
/// value-changed callbacks a kernel driver raises (synchronously, on the caller's thread); outputs keep what was
/// written and report it through <see cref="OutputWritten"/>. An input opened with a pull-up reads high until driven.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, SimulatedPin> _pins = [];
    private readonly int _pinCount;

    public SimulatedGpioDriver(int pinCount = 64) => _pinCount = pinCount;

    /// <summary>Raised after an output pin is written (pin, value), outside the driver's lock.</summary>
    public event Action<int, PinValue>? OutputWritten;

    protected override int PinCount => _pinCount;

    /// <summary>Drives an input pin as the outside world would; raises the edge callbacks when the level changes.</summary>
    public void SetInput(int pin, PinValue value)
    {
        PinChangeEventHandler[] handlers;
        PinEventTypes edge;
        lock (_gate)
        {
            var state = Pin(pin);
            var level = state.Level;
            state.Driven = value;
            if (level == value)
            {
                return;
            }

            edge = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            handlers = [.. state.Callbacks.Where(c => (c.Events & edge) != 0).Select(c => c.Handler)];
            state.Waiters.ForEach(w => w.TrySetResult(edge));
            state.Waiters.Clear();
        }

        foreach (var handler in handlers)
        {
            handler(this, new PinValueChangedEventArgs(edge, pin));
        }
    }

    /// <summary>The level a pin shows now: what was written to an output, what drives an input, else its bias.</summary>
    public PinValue GetLevel(int pin)
    {
        lock (_gate)
        {
            return Pin(pin).Level;
        }
    }

    public bool IsOpen(int pin)
    {
        lock (_gate)
        {
            return _pins.TryGetValue(pin, out var state) && state.Open;
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            Pin(pinNumber).Open = true;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            var state = Pin(pinNumber);
            state.Open = false;
            state.Callbacks.Clear();
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            Pin(pinNumber).Mode = mode;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            return Pin(pinNumber).Mode;
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    protected override PinValue Read(int pinNumber) => GetLevel(pinNumber);

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            Pin(pinNumber).Written = value;
        }

        OutputWritten?.Invoke(pinNumber, value);
    }

    protected override void Toggle(int pinNumber) => Write(pinNumber, !GetLevel(pinNumber));

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var task = WaitForEventAsync(pinNumber, eventTypes, cancellationToken).AsTask();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { TimedOut = true, EventTypes = PinEventTypes.None };
        }
    }

    protected override async ValueTask<WaitForEventResult> WaitForEventAsync(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var waiter = new TaskCompletionSource<PinEventTypes>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                Pin(pinNumber).Waiters.Add(waiter);
            }

            var edge = await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if ((edge & eventTypes) != 0)
            {
                return new WaitForEventResult { TimedOut = false, EventTypes = edge };
            }
        }
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            Pin(pinNumber).Callbacks.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            Pin(pinNumber).Callbacks.RemoveAll(c => c.Handler == callback);
        }
    }

    public override GpioChipInfo GetChipInfo() => new(0, "sim", "simulated GPIO", _pinCount);

    private SimulatedPin Pin(int pin)
    {
        if (pin < 0 || pin >= _pinCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pin), pin, $"the simulated chip has pins 0-{_pinCount - 1}");
        }

        if (!_pins.TryGetValue(pin, out var state))
        {
            state = new SimulatedPin();
            _pins[pin] = state;
        }

        return state;
    }

    private sealed class SimulatedPin
    {
        public bool Open { get; set; }
        public PinMode Mode { get; set; } = PinMode.Input;
        public PinValue? Driven { get; set; }
        public PinValue Written { get; set; } = PinValue.Low;
        public List<(PinEventTypes Events, PinChangeEventHandler Handler)> Callbacks { get; } = [];
        public List<TaskCompletionSource<PinEventTypes>> Waiters { get; } = [];

        public PinValue Level => Mode switch
        {
            PinMode.Output => Written,
            _ => Driven ?? (Mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low),
        };
    }
}
