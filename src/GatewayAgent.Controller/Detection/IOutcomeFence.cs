using System.Data.Common;

namespace GatewayAgent.Controller.Detection;

/// <summary>
/// Decides, inside the recorder's transaction, which contracts' outcomes this node may still write (docs/scale-out.md:
/// a node whose shard lease ran out or was taken over must not move the detector). Without a fence every outcome is
/// written (a single node).
/// </summary>
public interface IOutcomeFence
{
    /// <summary>
    /// Locks what must not change until the commit and returns the contracts whose outcomes may be written, or null
    /// when all may.
    /// </summary>
    Task<IReadOnlySet<long>?> HoldAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> contractIds, CancellationToken cancellationToken);

    /// <summary>Told how many outcomes were refused (counted and logged by the fence's owner).</summary>
    void Refused(IReadOnlyCollection<long> contractIds);
}
