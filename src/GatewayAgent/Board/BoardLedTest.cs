using GatewayAgent.Status;

namespace GatewayAgent.Board;

/// <summary>The LED test on the board's panel (command "led-test", short button press): each LED in turn, then all.</summary>
public sealed class BoardLedTest(AgentBoard board) : ILedTest
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        board.Hardware is { } hardware ? hardware.Leds.RunTestAsync(cancellationToken) : Task.CompletedTask;
}
