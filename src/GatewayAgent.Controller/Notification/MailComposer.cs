using System.Text;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Renders the failure, recovery and test mails in Japanese. The failure mail follows the guide's sample (FN-15,
/// seed-service-guide-ja.txt "■故障通知メールのイメージ") line for line, its hard line breaks included; the recovery
/// mail mirrors it (回復検知のお知らせ, 回復検出日時); the test mail is the FN-8 送信テスト. English glosses are in
/// docs/notification.md.
/// </summary>
public sealed class MailComposer(IOptions<MailOptions> options, MailTimeZone timeZone) : IMailComposer
{
    // "Notice: incoming-call failure detected" — the sample's subject line.
    public const string FailureSubject = "着信異常検知のお知らせです";

    // "Notice: recovery detected" — mirrors the failure subject (FN-15).
    public const string RecoverySubject = "回復検知のお知らせです";

    // "Notice: sending test" — FN-8 送信テスト.
    public const string TestSubject = "送信テストのお知らせです";

    // The service name as the sample quotes it: "Hikari Denwa Office A (Ace)".
    private const string ServiceName = "「ひかり電話オフィスA（エース）」";

    private readonly string _settingsUrl = options.Value.SettingsUrl;

    public ComposedMail Compose(MailFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.Kind switch
        {
            MailKind.Failure => new ComposedMail(FailureSubject, Failure(facts)),
            MailKind.Recovery => new ComposedMail(RecoverySubject, Recovery(facts)),
            MailKind.Test => new ComposedMail(TestSubject, Test(facts)),
            _ => throw new ArgumentOutOfRangeException(nameof(facts), facts.Kind, "unknown mail kind"),
        };
    }

    private string Failure(MailFacts facts)
    {
        var body = new StringBuilder();
        Greeting(body, facts, withSite: true);
        // "We have detected that the monitoring number of Hikari Denwa Office A cannot receive calls.
        //  Please check your current calls and, if needed, 'start' bulk forwarding on the Hikari Denwa settings site."
        body.Append(ServiceName).Append("の監視用電話番号に対し、\n");
        body.Append("着信ができない状態であることを検知致しました。\n");
        body.Append("現在の通話状況を確認の上、必要に応じて「ひかり電話設定\n");
        body.Append("サイト」により一括転送の「開始」をお願い致します。\n");
        body.Append('\n');
        Numbers(body, facts);
        // "Failure detected at"
        body.Append("■故障検出日時：").Append(timeZone.FormatTime(facts.DetectedAt)).Append('\n');
        if (MailCause.Describe(facts.Cause) is { } cause)
        {
            // "Probable cause" — not in the sample; printed only when the controller knows it.
            body.Append("■推定原因：").Append(cause).Append('\n');
        }

        SettingsSite(body);
        return body.ToString();
    }

    private string Recovery(MailFacts facts)
    {
        var body = new StringBuilder();
        Greeting(body, facts, withSite: true);
        // "We have detected that the monitoring number of Hikari Denwa Office A can receive calls again.
        //  Please check your current calls and, if needed, 'stop' bulk forwarding on the Hikari Denwa settings site."
        body.Append(ServiceName).Append("の監視用電話番号に対し、\n");
        body.Append("着信ができる状態に回復したことを検知致しました。\n");
        body.Append("現在の通話状況を確認の上、必要に応じて「ひかり電話設定\n");
        body.Append("サイト」により一括転送の「停止」をお願い致します。\n");
        body.Append('\n');
        Numbers(body, facts);
        // "Recovery detected at"
        body.Append("■回復検出日時：").Append(timeZone.FormatTime(facts.DetectedAt)).Append('\n');
        SettingsSite(body);
        return body.ToString();
    }

    private string Test(MailFacts facts)
    {
        var body = new StringBuilder();
        Greeting(body, facts, withSite: false);
        // "This is a sending test of the failure-notification mail of Hikari Denwa Office A.
        //  If you received it, failure and recovery notices will reach this address."
        body.Append(ServiceName).Append("の故障通知メールの\n");
        body.Append("送信テストです。\n");
        body.Append("このメールが届いていれば、このアドレスで故障・回復の\n");
        body.Append("お知らせを受信できます。\n");
        body.Append('\n');
        Numbers(body, facts);
        if (!string.IsNullOrWhiteSpace(facts.SiteInformation))
        {
            // "Site"
            body.Append("■拠点名：").Append(facts.SiteInformation.Trim()).Append('\n');
        }

        // "Sent at"
        body.Append("■送信日時：").Append(timeZone.FormatTime(facts.DetectedAt)).Append('\n');
        SettingsSite(body);
        return body.ToString();
    }

    /// <summary>"（お客さま名）様" then "（拠点名）において", then a blank line, as in the sample (FN-10 settings).</summary>
    private static void Greeting(StringBuilder body, MailFacts facts, bool withSite)
    {
        // Without a holder name the mail addresses "お客さま" (dear customer); "様" is never doubled.
        body.Append(string.IsNullOrWhiteSpace(facts.HolderName) ? "お客さま" : facts.HolderName.Trim() + "様").Append('\n');
        if (withSite && !string.IsNullOrWhiteSpace(facts.SiteInformation))
        {
            // "at (site)"
            body.Append(facts.SiteInformation.Trim()).Append("において\n");
        }

        body.Append('\n');
    }

    private static void Numbers(StringBuilder body, MailFacts facts)
    {
        // "Contract number", "Monitoring number"
        body.Append("■契約電話番号：").Append(facts.ContractNumber).Append('\n');
        body.Append("■監視用電話番号：").Append(facts.MonitoringNumber).Append('\n');
    }

    private void SettingsSite(StringBuilder body)
    {
        // "Hikari Denwa settings site URL", the URL on the next line as in the sample.
        body.Append("■ひかり電話設定サイトURL\n");
        body.Append(_settingsUrl).Append('\n');
    }
}
