namespace GatewayAgent.Controller.Routing;

/// <summary>
/// One of the edge's htables and the database view it loads from (migration 6). The views are the one definition of
/// what the edge holds: kamailio loads them at its start and on reload, and the pusher reads the same rows to push a
/// change key by key.
/// </summary>
public sealed record EdgeTable(string Name, string View)
{
    /// <summary>number → "contract id|destination|monitoring (0/1)".</summary>
    public static readonly EdgeTable Numbers = new("num", "edge_numbers");

    /// <summary>contract id → "forwarding (0/1)|channels|reject anonymous (0/1)|site id|site address".</summary>
    public static readonly EdgeTable Contracts = new("ctr", "edge_contracts");

    /// <summary>"contract id:caller" → 1 (BF-10 nuisance list).</summary>
    public static readonly EdgeTable Nuisance = new("nui", "edge_nuisance");

    /// <summary>site id → HA1 of the registration password in the edge's realm.</summary>
    public static readonly EdgeTable Subscribers = new("sub", "edge_subscribers");

    public static IReadOnlyList<EdgeTable> All { get; } = [Numbers, Contracts, Nuisance, Subscribers];
}
