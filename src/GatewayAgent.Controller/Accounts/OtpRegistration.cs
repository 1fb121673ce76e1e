namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-7: a registration as the form submits it: the receiving address, the confirmation ID, the confirmation password twice.</summary>
public sealed record OtpRegistration(string Address, string ConfirmationId, string ConfirmationPassword, string ConfirmationPasswordAgain);
