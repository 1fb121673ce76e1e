namespace GatewayAgent.Domain.Tests.Accounts;

/// <summary>Any text a customer might type as a password: mostly letters and digits, sometimes other characters, 0–16 long.</summary>
public sealed record CandidatePassword(string Text);
