namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-8: one data row of the one-time-password CSV as read (fields trimmed, the number as written), with its 1-based line.</summary>
public sealed record OtpCsvRow(int Line, string Number, string Usage, string Address, string ConfirmationId, string ConfirmationPassword);
