using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// Section "Controller:Cluster": how controller nodes on one PostgreSQL database share the contracts (docs/scale-out.md).
/// With SQLite the controller is a single node and owns every contract; these keys are then not used.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Controller:Cluster";

    /// <summary>This node's name in cluster_nodes and cluster_shards.owner; unique per running process.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Controller:Cluster:NodeId must not be empty")]
    [StringLength(100, ErrorMessage = "Controller:Cluster:NodeId must be at most 100 characters")]
    public string NodeId { get; set; } = DefaultNodeId();

    /// <summary>How long a shard lease (and a node's heartbeat) is valid: a killed node's shards move after at most this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Controller:Cluster:LeaseTime must be between 00:00:01 and 00:10:00")]
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a node writes its heartbeat and renews (or claims, or gives up) its shards; at most half of LeaseTime.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Controller:Cluster:Heartbeat must be between 00:00:00.100 and 00:05:00")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Number of shards (contract id mod Shards); fixed when the first node creates them, every node must agree.</summary>
    [Range(1, 65536, ErrorMessage = "Controller:Cluster:Shards must be between 1 and 65536")]
    public int Shards { get; set; } = 256;

    /// <summary>How often a node reads the dying-gasp triggers that other nodes wrote for the contracts it owns.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Controller:Cluster:TriggerPoll must be between 00:00:00.050 and 00:01:00")]
    public TimeSpan TriggerPoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a trigger row is kept: a node that takes a shard over starts fast probing for the triggers of the
    /// shard's contracts younger than this (the fast phase of a killed node goes on).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Controller:Cluster:TriggerRetention must be between 00:00:10 and 01:00:00")]
    public TimeSpan TriggerRetention { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A node whose canary has been failing this long (it reaches the database but not the sites) gives its shards to
    /// the nodes whose canary answers; zero = never. While every node's canary fails, nobody yields.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Controller:Cluster:YieldAfterCanaryDown must be between 00:00:00 and 01:00:00")]
    public TimeSpan YieldAfterCanaryDown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Host name, process id and a random suffix (two hosts in one process, as in tests, are two nodes): a restarted
    /// process is a new node (its old leases were released on a clean stop, or run out).
    /// </summary>
    public static string DefaultNodeId() => $"{Environment.MachineName}-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
}
