namespace GatewayAgent.Contracts.Api;

/// <summary>The bulk-forward switch of one contract: on/off, since when, and why (BF-4, FN-6, FN-7, BF-11).</summary>
public sealed record ForwardingView(bool On, DateTimeOffset? Since, string? Reason);
