using System.Diagnostics.Metrics;

namespace GatewayAgent.Controller.Routing;

/// <summary>Edge push counters on the Meter "GatewayAgent.Controller.Routing" (bridged to /metrics by the host), with totals for tests.</summary>
public sealed class EdgeMetrics
{
    public const string MeterName = "GatewayAgent.Controller.Routing";

    private readonly Counter<long> _keys;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _failures;
    private long _keysTotal;
    private long _reloadsTotal;
    private long _failuresTotal;
    private int _inSync;
    private int _nodes;

    public EdgeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _keys = meter.CreateCounter<long>("gateway.edge.keys.pushed", "{key}", "Routing-table keys set or deleted on an edge node");
        _reloads = meter.CreateCounter<long>("gateway.edge.reloads", "{table}", "Routing tables an edge node reloaded from the database (start, catch-up, storm)");
        _failures = meter.CreateCounter<long>("gateway.edge.failures", "{call}", "JSON-RPC calls to an edge node that failed (the node then catches up by reload)");
        meter.CreateObservableGauge("gateway.edge.nodes.in_sync", () => Volatile.Read(ref _inSync), "{node}", "Edge nodes holding the current routing table");
        meter.CreateObservableGauge("gateway.edge.nodes", () => Volatile.Read(ref _nodes), "{node}", "Edge nodes configured");
    }

    public long KeysTotal => Interlocked.Read(ref _keysTotal);

    public long ReloadsTotal => Interlocked.Read(ref _reloadsTotal);

    public long FailuresTotal => Interlocked.Read(ref _failuresTotal);

    public int InSync => Volatile.Read(ref _inSync);

    public void KeysPushed(int count)
    {
        _keys.Add(count);
        Interlocked.Add(ref _keysTotal, count);
    }

    public void Reloaded()
    {
        _reloads.Add(1);
        Interlocked.Increment(ref _reloadsTotal);
    }

    public void Failed()
    {
        _failures.Add(1);
        Interlocked.Increment(ref _failuresTotal);
    }

    public void SetNodes(int nodes, int inSync)
    {
        Volatile.Write(ref _nodes, nodes);
        Volatile.Write(ref _inSync, inSync);
    }
}
