namespace GatewayAgent.Contracts.Api;

/// <summary>The detector's persisted state for one contract (FN-4, FN-5).</summary>
/// <param name="State">"normal" or "failed".</param>
/// <param name="Misses">Consecutive misses counted while normal.</param>
/// <param name="Reached">Consecutive reached probes counted while failed.</param>
/// <param name="Since">When the current state began (null: normal since the contract was created).</param>
public sealed record DetectorView(string State, int Misses, int Reached, DateTimeOffset? Since);
