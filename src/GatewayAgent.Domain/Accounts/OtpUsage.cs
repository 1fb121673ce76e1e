namespace GatewayAgent.Domain.Accounts;

/// <summary>SS-7, SS-8: a number's choice about the one-time password; the values are SS-8's CSV flag.</summary>
public enum OtpUsage
{
    /// <summary>「ワンタイムパスワードを利用しない」, chosen with an explicit agree (SS-7), or <c>0</c> in the CSV (SS-8).</summary>
    NotUsed = 0,

    /// <summary>「ワンタイムパスワードを利用する」, or <c>1</c> in the CSV (SS-8).</summary>
    Used = 1,
}
