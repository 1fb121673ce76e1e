using System.Diagnostics.Metrics;

namespace GatewayAgent.Controller.Cluster;

/// <summary>Cluster instruments on the Meter "GatewayAgent.Controller.Cluster", with totals readable in-process for tests.</summary>
public sealed class ClusterMetrics
{
    public const string MeterName = "GatewayAgent.Controller.Cluster";

    private readonly Meter _meter;
    private readonly Counter<long> _takeovers;
    private readonly Counter<long> _heartbeatFailures;
    private readonly Counter<long> _fenced;
    private readonly Counter<long> _triggersSent;
    private readonly Counter<long> _triggersReceived;
    private long _fencedTotal;
    private long _heartbeatFailuresTotal;
    private long _triggersReceivedTotal;

    public ClusterMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _takeovers = _meter.CreateCounter<long>("gateway.cluster.takeovers", "{shard}", "Shards this node claimed from another node whose lease ran out");
        _heartbeatFailures = _meter.CreateCounter<long>("gateway.cluster.heartbeat_failures", "{heartbeat}", "Heartbeats that could not reach the database");
        _fenced = _meter.CreateCounter<long>("gateway.cluster.fenced_outcomes", "{probe}", "Probe outcomes refused at commit: this node no longer held the contract's shard");
        _triggersSent = _meter.CreateCounter<long>("gateway.cluster.triggers.sent", "{trigger}", "Dying-gasp triggers written for the owner node");
        _triggersReceived = _meter.CreateCounter<long>("gateway.cluster.triggers.received", "{trigger}", "Dying-gasp triggers read from another node and started here");
    }

    public long FencedTotal => Interlocked.Read(ref _fencedTotal);

    public long HeartbeatFailuresTotal => Interlocked.Read(ref _heartbeatFailuresTotal);

    public long TriggersReceivedTotal => Interlocked.Read(ref _triggersReceivedTotal);

    internal void Observe(IProbeOwnership ownership) =>
        _meter.CreateObservableGauge("gateway.cluster.owned_shards", () => ownership.OwnedShards().Count, "{shard}", "Shards this node holds a valid lease on");

    public void TakenOver() => _takeovers.Add(1);

    public void HeartbeatFailed()
    {
        Interlocked.Increment(ref _heartbeatFailuresTotal);
        _heartbeatFailures.Add(1);
    }

    public void Fenced(int count)
    {
        Interlocked.Add(ref _fencedTotal, count);
        _fenced.Add(count);
    }

    public void TriggersSent(int count) => _triggersSent.Add(count);

    public void TriggerReceived()
    {
        Interlocked.Increment(ref _triggersReceivedTotal);
        _triggersReceived.Add(1);
    }
}
