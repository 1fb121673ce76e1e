namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>A number as a person might type it: hyphens, spaces, full-width digits, "+81" — and what they stand for.</summary>
public sealed record WrittenNumber(string Written, string Digits);
