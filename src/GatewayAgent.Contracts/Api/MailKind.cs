namespace GatewayAgent.Contracts.Api;

public enum MailKind
{
    Failure,
    Recovery,
    Test,

    /// <summary>SS-7: the confirmation link of a one-time-password receiving address (valid 24 h).</summary>
    OtpConfirmation,

    /// <summary>SS-7: a one-time password (valid 300 s).</summary>
    OtpCode,
}
