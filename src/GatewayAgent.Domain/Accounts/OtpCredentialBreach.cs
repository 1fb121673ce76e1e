namespace GatewayAgent.Domain.Accounts;

/// <summary>SS-7: each way a confirmation ID or confirmation password can break its rule.</summary>
public enum OtpCredentialBreach
{
    /// <summary>Shorter than 8 or longer than 12 characters.</summary>
    Length,

    /// <summary>A character other than a half-width letter or digit.</summary>
    Characters,

    /// <summary>Digits only (confirmation ID).</summary>
    DigitsOnly,

    /// <summary>Upper-case letters only, or lower-case letters only, besides digits (confirmation ID, the stricter page of SS-7).</summary>
    SingleCase,

    /// <summary>Not both letters and digits (confirmation password).</summary>
    LettersAndDigits,
}
