using GatewayAgent.Controller.Cluster;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Ingest;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Cluster;

/// <summary>
/// One in-process controller node: the storage, detector and switch of <see cref="ControllerHarness"/> plus
/// <c>AddCluster()</c>, on a shared database and a shared (or its own) fake clock. Its dying-gasp relay hands triggers
/// to a recording scheduler stand-in. Disposing it without <see cref="LeaveAsync"/> is a killed node: nothing is released.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);

    private ClusterNode(ControllerHarness harness, string name)
    {
        Harness = harness;
        Name = name;
        Relay = new FastProbeRelay(
            Scheduler, harness.Database, Membership, harness.Services.GetRequiredService<IOptions<ClusterOptions>>(),
            Metrics, harness.Time, harness.Services.GetRequiredService<ILogger<FastProbeRelay>>());
    }

    public ControllerHarness Harness { get; }

    public string Name { get; }

    public ClusterMembership Membership => Harness.Services.GetRequiredService<ClusterMembership>();

    public ClusterMetrics Metrics => Harness.Services.GetRequiredService<ClusterMetrics>();

    public IProbeTargetSource Targets => Harness.Services.GetRequiredService<IProbeTargetSource>();

    /// <summary>What the local scheduler would have been told to fast-probe.</summary>
    public RecordingFastProbing Scheduler { get; } = new();

    public FastProbeRelay Relay { get; }

    /// <summary>
    /// The first node creates the database; pass it as <paramref name="first"/> to the others. <paramref name="connection"/>
    /// rewrites the shared connection string for this node (e.g. through a relay that can be cut).
    /// </summary>
    public static async Task<ClusterNode> StartAsync(
        string backend, PostgresCluster cluster, string name, ClusterNode? first = null, FakeTimeProvider? time = null, int shards = 256,
        IProberHealth? health = null, Func<string, string>? connection = null)
    {
        var settings = new Dictionary<string, string?>(first?.Harness.DatabaseSettings ?? new Dictionary<string, string?>())
        {
            ["Controller:Cluster:NodeId"] = name,
            ["Controller:Cluster:LeaseTime"] = Lease.ToString(),
            ["Controller:Cluster:Heartbeat"] = Beat.ToString(),
            ["Controller:Cluster:Shards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Controller:Cluster:YieldAfterCanaryDown"] = "00:00:30",
        };
        if (connection is not null && settings.TryGetValue("ConnectionStrings:Controller", out var shared) && shared is not null)
        {
            settings["ConnectionStrings:Controller"] = connection(shared);
        }

        var harness = await ControllerHarness.CreateAsync(backend, cluster, settings, configure: s =>
        {
            s.AddCluster();
            if (health is not null)
            {
                s.AddSingleton(health);
            }
        }, time: time ?? first?.Harness.Time);
        return new ClusterNode(harness, name);
    }

    public Task<HeartbeatResult?> HeartbeatAsync() => Membership.HeartbeatAsync(CancellationToken.None);

    public Task LeaveAsync() => Membership.LeaveAsync(CancellationToken.None);

    public async Task<IReadOnlyList<long>> TargetIdsAsync() =>
        (await Targets.GetTargetsAsync(CancellationToken.None)).Select(t => t.ContractId).ToList();

    public ValueTask DisposeAsync()
    {
        Relay.Dispose();
        return Harness.DisposeAsync();
    }
}
