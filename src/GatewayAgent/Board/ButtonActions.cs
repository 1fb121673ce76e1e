using GatewayAgent.Contracts;
using GatewayAgent.Hardware.Button;
using GatewayAgent.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Board;

/// <summary>
/// What the technician button does. Short press: event "button" (detail "short"), then the LED test and, when the
/// agent has one (<see cref="ISelfTest"/> from telemetry), a self-test probe through its own SIP leg. Long press:
/// "button" (detail "long") and "technician.on-site".
/// </summary>
public sealed class ButtonActions : IDisposable
{
    private readonly AgentEventHub _events;
    private readonly ILedTest _ledTest;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private TechnicianButton? _button;
    private bool _disposed;

    public ButtonActions(AgentEventHub events, ILedTest ledTest, IServiceProvider services, ILogger<ButtonActions> logger)
    {
        _events = events;
        _ledTest = ledTest;
        _services = services;
        _logger = logger;
    }

    /// <summary>The LED test and self-test started by the last short press (for tests and shutdown).</summary>
    public Task LastShortPress { get; private set; } = Task.CompletedTask;

    public void Start(TechnicianButton button)
    {
        _button = button;
        button.Pressed += OnPressed;
    }

    private void OnPressed(ButtonPress press, DateTimeOffset at)
    {
        if (press == ButtonPress.Long)
        {
            BoardLog.ButtonPressed(_logger, "long press (technician on site)");
            _events.Raise(EventTypes.Button, "long", at: at);
            _events.Raise(EventTypes.TechnicianOnSite, "button held", at: at);
            return;
        }

        BoardLog.ButtonPressed(_logger, "short press (LED test and self-test)");
        _events.Raise(EventTypes.Button, "short", at: at);
        LastShortPress = Task.Run(() => ShortPressAsync(_stopping.Token));
    }

    private async Task ShortPressAsync(CancellationToken cancellationToken)
    {
        try
        {
            var selfTest = _services.GetService<ISelfTest>();
            var ledTest = _ledTest.RunAsync(cancellationToken);
            if (selfTest is not null)
            {
                var result = await selfTest.RunAsync(cancellationToken).ConfigureAwait(false);
                BoardLog.SelfTestDone(_logger, result.Reached, result.FinalStatus, result.Error);
            }

            await ledTest.ConfigureAwait(false);
            BoardLog.LedTestDone(_logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            BoardLog.ButtonActionFailed(_logger, ex);
        }
    }

    public void Dispose()
    {
        if (_button is not null)
        {
            _button.Pressed -= OnPressed;
            _button = null;
        }

        if (!_disposed)
        {
            _disposed = true;
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }
}
