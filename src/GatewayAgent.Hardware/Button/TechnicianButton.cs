using GatewayAgent.Hardware.Inputs;

namespace GatewayAgent.Hardware.Button;

/// <summary>
/// Turns the debounced button input into short and long presses, timed from the debounced edges with the injected
/// <see cref="TimeProvider"/>. A long press is reported the moment the hold reaches <see cref="ButtonTiming.LongPress"/>,
/// so the technician sees the reaction while still holding; its release is then ignored.
/// </summary>
public sealed class TechnicianButton : IDisposable
{
    private readonly DebouncedInput _input;
    private readonly ButtonTiming _timing;
    private readonly ITimer _longTimer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private DateTimeOffset? _pressedAt;
    private bool _longReported;

    public TechnicianButton(DebouncedInput input, ButtonTiming timing, TimeProvider time)
    {
        if (timing.ShortPressMax > timing.LongPress)
        {
            throw new ArgumentException("the short-press limit must not be longer than the long-press time", nameof(timing));
        }

        _input = input;
        _timing = timing;
        _time = time;
        _longTimer = time.CreateTimer(_ => OnHeldLong(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _input.Changed += OnChanged;
    }

    /// <summary>A press was recognised: its kind and when it began (the debounced press edge).</summary>
    public event Action<ButtonPress, DateTimeOffset>? Pressed;

    private void OnChanged(InputChange change)
    {
        ButtonPress? press = null;
        DateTimeOffset at;
        lock (_gate)
        {
            if (change.Active)
            {
                _pressedAt = change.At;
                _longReported = false;
                // Timed from the press edge, not from the end of its debounce.
                var remaining = _timing.LongPress - (_time.GetUtcNow() - change.At);
                _longTimer.Change(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                return;
            }

            _longTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (_pressedAt is not { } pressedAt)
            {
                return;
            }

            at = pressedAt;
            _pressedAt = null;
            if (!_longReported && change.At - pressedAt < _timing.ShortPressMax)
            {
                press = ButtonPress.Short;
            }
        }

        if (press is { } kind)
        {
            Pressed?.Invoke(kind, at);
        }
    }

    private void OnHeldLong()
    {
        DateTimeOffset at;
        lock (_gate)
        {
            if (_pressedAt is not { } pressedAt || _longReported)
            {
                return;
            }

            _longReported = true;
            at = pressedAt;
        }

        Pressed?.Invoke(ButtonPress.Long, at);
    }

    public void Dispose()
    {
        _input.Changed -= OnChanged;
        _longTimer.Dispose();
    }
}
