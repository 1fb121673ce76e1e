namespace GatewayAgent.Domain.Accounts;

/// <summary>SS-5: each way a candidate password can break the password rules.</summary>
public enum PasswordBreach
{
    /// <summary>Shorter than 8 or longer than 12 characters.</summary>
    Length,

    /// <summary>A character other than a half-width letter or digit.</summary>
    Characters,

    /// <summary>Digits only.</summary>
    DigitsOnly,

    /// <summary>4 or more identical characters in a row (<c>0000</c>, <c>aaaa</c>).</summary>
    RepeatedCharacters,

    /// <summary>4 or more ascending or descending characters in a row (<c>1234</c>, <c>dcba</c>).</summary>
    Sequence,

    /// <summary>Contains the customer's phone number.</summary>
    ContainsPhoneNumber,

    /// <summary>The same as the current password.</summary>
    SameAsCurrent,
}
