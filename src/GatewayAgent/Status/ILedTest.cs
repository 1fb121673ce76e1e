namespace GatewayAgent.Status;

/// <summary>Lights every LED in turn so a technician sees each works (command "led-test", short button press).</summary>
public interface ILedTest
{
    Task RunAsync(CancellationToken cancellationToken);
}
