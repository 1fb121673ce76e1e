namespace GatewayAgent.Domain.Tests.Accounts;

/// <summary>
/// A password valid by construction: 8–12 characters alternating letter and digit (so no 4 identical or consecutive
/// characters can follow each other, it is not digits only, and no phone number's 10 digits fit in it).
/// </summary>
public sealed record AlternatingPassword(string Text);
