namespace GatewayAgent.Contracts.Api;

/// <summary>One notification address with its "send" checkbox (FN-8).</summary>
public sealed record RecipientEntry(string Address, bool Send);
