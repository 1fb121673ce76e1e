using System.Device.Gpio;
using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Hardware.Leds;

/// <summary>
/// The status LEDs on a <see cref="GpioController"/> the caller owns, each showing a <see cref="LedPattern"/>. One
/// timer of the injected <see cref="TimeProvider"/> ticks every 125 ms: fast blink (4 Hz) toggles every tick, slow
/// blink (1 Hz) every four ticks, so all blinking LEDs stay in phase. <see cref="RunTestAsync"/> lights each LED in
/// turn, then all together, then puts the patterns back.
/// </summary>
public sealed class LedPanel : IDisposable
{
    /// <summary>Half a fast-blink period (4 Hz).</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(125);
    public static readonly TimeSpan TestStep = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan TestAll = TimeSpan.FromSeconds(1);

    private readonly GpioController _controller;
    private readonly IReadOnlyDictionary<LedName, OutputPinDefinition> _pins;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly Dictionary<LedName, LedPattern> _patterns = [];
    private IReadOnlyDictionary<LedName, LedPattern>? _override;
    private TaskCompletionSource? _test;
    private int _testTick;
    private long _tick;
    private bool _disposed;

    public LedPanel(GpioController controller, IReadOnlyDictionary<LedName, OutputPinDefinition> pins, TimeProvider time)
    {
        _controller = controller;
        _pins = pins;
        foreach (var (led, pin) in pins)
        {
            _patterns[led] = LedPattern.Off;
            if (!controller.IsPinOpen(pin.Pin))
            {
                controller.OpenPin(pin.Pin, PinMode.Output);
            }

            controller.Write(pin.Pin, Level(pin, lit: false));
        }

        _timer = time.CreateTimer(_ => OnTick(), null, Tick, Tick);
    }

    public IReadOnlyCollection<LedName> Leds => [.. _pins.Keys];

    public LedPattern GetPattern(LedName led)
    {
        lock (_gate)
        {
            return _patterns[led];
        }
    }

    /// <summary>Sets an LED's pattern; the pin follows at once (in phase with the other blinking LEDs).</summary>
    public void SetPattern(LedName led, LedPattern pattern)
    {
        lock (_gate)
        {
            if (_disposed || !_patterns.TryGetValue(led, out var current) || current == pattern)
            {
                return;
            }

            _patterns[led] = pattern;
            if (_override is null)
            {
                Apply(led, pattern);
            }
        }
    }

    /// <summary>
    /// The LED test: each LED alone for <see cref="TestStep"/> in the order power, line, cloud, alarm, then all for
    /// <see cref="TestAll"/>; then the patterns come back. The steps follow the panel's tick, so they keep time with
    /// the injected clock. A test asked for while one runs joins it.
    /// </summary>
    public Task RunTestAsync(CancellationToken cancellationToken)
    {
        Task done;
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.CompletedTask;
            }

            if (_test is null)
            {
                _test = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _testTick = 0;
                ShowTestStep();
            }

            done = _test.Task;
        }

        return done.WaitAsync(cancellationToken);
    }

    private void ShowTestStep()
    {
        var order = _pins.Keys.Order().ToArray();
        var stepTicks = (int)(TestStep / Tick);
        var allTicks = (int)(TestAll / Tick);
        var step = _testTick / stepTicks;
        if (step < order.Length)
        {
            _override = _pins.Keys.ToDictionary(l => l, l => l == order[step] ? LedPattern.Steady : LedPattern.Off);
        }
        else if (_testTick < order.Length * stepTicks + allTicks)
        {
            _override = _pins.Keys.ToDictionary(l => l, _ => LedPattern.Steady);
        }
        else
        {
            _override = null;
            _test?.TrySetResult();
            _test = null;
        }

        foreach (var led in _pins.Keys)
        {
            Apply(led, (_override ?? _patterns)[led]);
        }
    }

    private void OnTick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _tick++;
            if (_test is not null)
            {
                _testTick++;
                ShowTestStep();
                return;
            }

            var shown = _override ?? _patterns;
            foreach (var (led, pattern) in shown)
            {
                if (pattern is LedPattern.SlowBlink or LedPattern.FastBlink)
                {
                    Apply(led, pattern);
                }
            }
        }
    }

    private void Apply(LedName led, LedPattern pattern)
    {
        var lit = pattern switch
        {
            LedPattern.Steady => true,
            LedPattern.FastBlink => _tick % 2 == 0,
            LedPattern.SlowBlink => _tick / 4 % 2 == 0,
            _ => false,
        };
        var pin = _pins[led];
        _controller.Write(pin.Pin, Level(pin, lit));
    }

    private static PinValue Level(OutputPinDefinition pin, bool lit) => lit == (pin.Active == PinActiveLevel.High) ? PinValue.High : PinValue.Low;

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer.Dispose();
            foreach (var pin in _pins.Values)
            {
                _controller.Write(pin.Pin, Level(pin, lit: false));
            }

            _test?.TrySetCanceled();
        }
    }
}
