using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Tests.Cluster;

/// <summary>The prober's canary state as the test sets it (the scheduler's own is tested in ProbeSchedulerTests).</summary>
internal sealed class FakeProberHealth : IProberHealth
{
    public DateTimeOffset? CanaryDownSince { get; set; }
}
