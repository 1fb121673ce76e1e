using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Routing;

/// <summary>The carrier edge the controller keeps current (configuration section <see cref="SectionName"/>); see docs/routing.md.</summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Controller:Edge";

    /// <summary>
    /// Each edge node's JSON-RPC endpoint, e.g. http://127.0.0.1:5065/RPC (kamailio's jsonrpcs over xhttp). Every routing
    /// change is pushed to all of them; empty = no edge (nothing is pushed).
    /// </summary>
    public IList<string> RpcUrls { get; } = [];

    /// <summary>The digest realm sites register in; must equal the edge's REALM define. A site's registration password is its site password.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9.-]{1,253}$")]
    public string Realm { get; set; } = "gateway.edge";

    /// <summary>How long one JSON-RPC call may take before the edge is treated as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long reloading one table from the database may take (htable.reload): 100,000 numbers take seconds on a busy
    /// node, and the node applies nothing else meanwhile.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ReloadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often each edge is checked (core.uptime). An edge that was unreachable or restarted since the last check reloads
    /// its whole table from the database views, so a change pushed while it was away is never lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>More changed contracts than this in one batch reload the tables from the database instead of key by key (a storm).</summary>
    [Range(1, 1_000_000)]
    public int ReloadThreshold { get; set; } = 200;
}
