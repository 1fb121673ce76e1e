namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>An <see cref="OrdinaryNumber"/> as a person might type it.</summary>
public sealed record WrittenOrdinaryNumber(string Written, string Digits);
