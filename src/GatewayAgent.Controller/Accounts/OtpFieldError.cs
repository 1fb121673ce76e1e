namespace GatewayAgent.Controller.Accounts;

/// <summary>One broken rule of a one-time-password form or CSV row: the field (or <c>csv[line]</c>) and the Japanese message.</summary>
public sealed record OtpFieldError(string Field, string Message);
