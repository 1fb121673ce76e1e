namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>A number of one of BF-9's restricted classes, digits (or #) only, e.g. 01201234567, 0070123456, 110, #8000.</summary>
public sealed record RestrictedNumber(string Text);
