namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>A <see cref="RestrictedNumber"/> as a stranger might type it to get it past BF-9.</summary>
public sealed record WrittenRestrictedNumber(string Written, string Text);
