namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>A national number of an ordinary fixed line or mobile/IP phone, digits only (e.g. 0312345678, 09012345678).</summary>
public sealed record OrdinaryNumber(string Digits);
