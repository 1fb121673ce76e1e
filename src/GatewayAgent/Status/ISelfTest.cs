using GatewayAgent.Contracts;

namespace GatewayAgent.Status;

/// <summary>Places a probe call to the agent itself through its own SIP leg (command "self-test", short button press).</summary>
public interface ISelfTest
{
    Task<SelfTestResult> RunAsync(CancellationToken cancellationToken);
}
