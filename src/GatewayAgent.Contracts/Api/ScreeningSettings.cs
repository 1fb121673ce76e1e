namespace GatewayAgent.Contracts.Api;

/// <summary>
/// Call screening of one contract, applied by the carrier edge before any forwarding (BF-10): Number Request rejects
/// anonymous callers; a caller on the nuisance list is neither delivered nor forwarded. GET/PUT
/// /api/contracts/{id}/screening, and part of the contract body.
/// </summary>
public sealed record ScreeningSettings
{
    /// <summary>Number Request: anonymous callers are rejected (433 at the edge), never delivered nor forwarded.</summary>
    public bool RejectAnonymous { get; init; }

    /// <summary>Caller numbers rejected with the rejection announcement (603 at the edge); stored normalised, each once.</summary>
    public IReadOnlyList<string> NuisanceCallers { get; init; } = [];
}
