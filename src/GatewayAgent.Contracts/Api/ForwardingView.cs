namespace GatewayAgent.Contracts.Api;

/// <summary>
/// The bulk-forward switch of one contract: on/off, since when, and why (BF-4, FN-6, FN-7, BF-11); and whether the
/// operator holds it off (BF-11: since when, by whom, why). While held neither a start nor an auto-start turns it on.
/// </summary>
public sealed record ForwardingView(
    bool On,
    DateTimeOffset? Since,
    string? Reason,
    bool Held = false,
    DateTimeOffset? HeldSince = null,
    string? HeldBy = null,
    string? HeldNote = null);
