using GatewayAgent.Board;
using GatewayAgent.Contracts;
using GatewayAgent.Status;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Tests.Board;

/// <summary>The agent's WAN monitor over a fake sysfs directory and a fake clock; the default route lookup.</summary>
[Trait("Ring", "integration")]
public sealed class WanMonitorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sysfs-").FullName;

    private void Link(string operState, string carrier)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "wan0")).FullName;
        File.WriteAllText(Path.Combine(directory, "operstate"), operState + "\n");
        File.WriteAllText(Path.Combine(directory, "carrier"), carrier + "\n");
    }

    [Fact]
    public void CarrierLoss_SetsWanDown_AndRaisesWanDown_ThenUp()
    {
        var time = new FakeTimeProvider();
        var status = new AgentStatus();
        var events = new AgentEventHub(time);
        var raised = new List<AgentEventNotice>();
        events.Subscribe(raised.Add);
        Link("up", "1");
        var options = new BoardOptions { WanInterface = "wan0", WanPollInterval = TimeSpan.FromSeconds(2) };
        using var monitor = new WanMonitor(status, events, time, Options.Create(options), NullLogger<WanMonitor>.Instance);

        monitor.Start(_root);
        Assert.Equal(LinkState.Up, status.Wan);

        Link("down", "0");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(LinkState.Down, status.Wan);
        Assert.Equal((EventTypes.WanDown, "wan0"), (Assert.Single(raised).Type, raised[0].Detail));

        Link("up", "1");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(LinkState.Up, status.Wan);
        Assert.Equal(EventTypes.WanUp, raised[1].Type);
    }

    [Fact]
    public void DefaultRouteInterface_IsTheInterfaceOfDestinationZero()
    {
        var table = Path.Combine(_root, "route");
        File.WriteAllText(table, """
            Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
            docker0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0
            enp3s0	00000000	0101A8C0	0003	0	0	100	00000000	0	0	0
            enp3s0	0001A8C0	00000000	0001	0	0	100	00FFFFFF	0	0	0
            """);

        Assert.Equal("enp3s0", WanMonitor.DefaultRouteInterface(table));
        Assert.Null(WanMonitor.DefaultRouteInterface(Path.Combine(_root, "missing")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
