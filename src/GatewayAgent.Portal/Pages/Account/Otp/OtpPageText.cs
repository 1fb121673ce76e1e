using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>The one-time-password pages' shared wording and the mapping of store errors onto the form (SS-7).</summary>
public static class OtpPageText
{
    public const string WrongConfirmation = "確認用IDまたは確認用パスワードが正しくありません。続けて10回誤ると無効になります。";

    public const string ConfirmationsInvalidated =
        "確認用IDと確認用パスワードは、誤った入力が続いたため無効になりました。ログイン後（仮パスワードでのログインも可）、ワンタイムパスワードの利用情報を登録し直してください。";

    public const string NotRegistered = "ワンタイムパスワードの利用情報（受信用メールアドレス、確認用ID、確認用パスワード）が登録されていません。";

    public static string ConfirmationIdRules { get; } =
        $"{OtpCredentialRules.MinLength}～{OtpCredentialRules.MaxLength}文字の半角英数字。英大文字と英小文字の両方を含めてください（数字のみ、英大文字のみ、英小文字のみは不可）。";

    public static string ConfirmationPasswordRules { get; } =
        $"{OtpCredentialRules.MinLength}～{OtpCredentialRules.MaxLength}文字の半角英数字。英字と数字の両方を含めてください。";

    /// <summary>Puts each rule broken onto its field (the page shows them in its summary).</summary>
    public static void AddErrors(ModelStateDictionary modelState, OtpResult result)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(result);
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(error.Field, error.Message);
        }

        var message = result.Outcome switch
        {
            OtpOutcome.WrongConfirmation => WrongConfirmation,
            OtpOutcome.ConfirmationsInvalidated => ConfirmationsInvalidated,
            OtpOutcome.NotRegistered => NotRegistered,
            _ => null,
        };
        if (message is not null)
        {
            modelState.AddModelError(string.Empty, message);
        }
    }

    /// <summary>An address shown without giving it away whole: the first character of the local part, then the domain.</summary>
    public static string Mask(string? address) =>
        address is { Length: > 0 } && address.IndexOf('@', StringComparison.Ordinal) is var at and > 0
            ? address[0] + new string('*', Math.Max(3, at - 1)) + address[at..]
            : "";
}
