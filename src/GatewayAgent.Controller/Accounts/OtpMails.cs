using GatewayAgent.Controller.Notification;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-7: the texts of the two one-time-password mails (Japanese, as the site is).</summary>
public static class OtpMails
{
    public const string ConfirmationSubject = "【ひかり電話設定サイト】メールアドレスの本登録お手続きURL";

    public const string CodeSubject = "【ひかり電話設定サイト】ワンタイムパスワードのお知らせ";

    public static ComposedMail Confirmation(string number, string link) => new(
        ConfirmationSubject,
        $"""
        ひかり電話設定サイトのワンタイムパスワード受信用メールアドレスの仮登録を受け付けました。

        ■電話番号：{number}

        次のURLを開き、本登録のお手続きをしてください。
        {link}

        このURLの有効期限は{OtpRules.ConfirmationLinkValidity.TotalHours:0}時間です。期限が過ぎた場合は、設定サイトにログインして、もう一度お手続きをしてください。
        お心当たりのない場合は、このメールを破棄してください。
        """);

    public static ComposedMail Code(string number, string code) => new(
        CodeSubject,
        $"""
        ひかり電話設定サイトのワンタイムパスワードをお知らせします。

        ■電話番号：{number}
        ■ワンタイムパスワード：{code}

        ワンタイムパスワードの有効時間は{OtpRules.CodeValidity.TotalSeconds:0}秒です。時間が過ぎた場合は、もう一度ログインしてワンタイムパスワードを送信してください。
        お心当たりのない場合は、このメールを破棄してください。
        """);
}
