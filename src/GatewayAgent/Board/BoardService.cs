using GatewayAgent.Hardware;
using GatewayAgent.Hardware.Inputs;
using GatewayAgent.Status;
using Microsoft.Extensions.Hosting;

namespace GatewayAgent.Board;

/// <summary>
/// Opens the board at start (before SIP, which is registered after it) and starts its parts: power monitor, WAN
/// monitor (or the simulated site), status LEDs and button actions; keeps <see cref="AgentStatus.Inputs"/> and
/// <see cref="AgentStatus.Board"/> current. Turns the LEDs off at stop.
/// </summary>
public sealed class BoardService : IHostedService
{
    private readonly AgentBoard _board;
    private readonly AgentStatus _status;
    private readonly PowerMonitor _power;
    private readonly WanMonitor _wan;
    private readonly SimulatedSite _site;
    private readonly StatusLeds _leds;
    private readonly ButtonActions _button;

    public BoardService(AgentBoard board, AgentStatus status, PowerMonitor power, WanMonitor wan, SimulatedSite site, StatusLeds leds, ButtonActions button)
    {
        _board = board;
        _status = status;
        _power = power;
        _wan = wan;
        _site = site;
        _leds = leds;
        _button = button;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var hardware = _board.Open();
        _status.Board = _board.Selection.Description;
        foreach (var input in hardware.Inputs)
        {
            input.Changed += OnInputChanged;
        }

        UpdateInputs(hardware);
        _power.Start(hardware);
        if (_board.IsSimulated)
        {
            _site.Start();
        }
        else
        {
            _wan.Start();
        }

        _leds.Start(hardware.Leds);
        _button.Start(hardware.Button);
        return Task.CompletedTask;
    }

    private void OnInputChanged(InputChange change)
    {
        if (_board.Hardware is { } hardware)
        {
            UpdateInputs(hardware);
        }
    }

    private void UpdateInputs(AdapterBoard hardware) => _status.Inputs = hardware.Inputs.ToDictionary(i => i.Name, i => i.IsActive);

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _button.Dispose();
        _leds.Dispose();
        _site.Dispose();
        _wan.Dispose();
        _power.Dispose();
        if (_board.Hardware is { } hardware)
        {
            foreach (var input in hardware.Inputs)
            {
                input.Changed -= OnInputChanged;
            }
        }

        _board.Dispose();
        return Task.CompletedTask;
    }
}
