using GatewayAgent.Controller.Customers;

namespace GatewayAgent.Portal.Forms;

/// <summary>
/// The store's rule violations (<see cref="RuleViolation"/>, checked by the domain's rules, never here) in the site's
/// Japanese: a sentence per rule ID, with the rule ID and the store's own detail, so support can match a screenshot to
/// the rule.
/// </summary>
public static class RuleMessages
{
    public static string Japanese(RuleViolation violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        var lead = violation.Rule switch
        {
            "BF-2" => "転送元は契約の電話番号で、1番号につき転送先は1件です。",
            "BF-4" => "一括転送を開始するには、転送先を1件以上登録してください。",
            "BF-5" => "一括転送中は、最後の転送先を削除できません。先に一括転送を停止してください。",
            "BF-9" => "この番号は転送先に指定できません（# ダイヤル、国際番号、特番などは不可）。",
            "BF-11" => "運用者により一括転送が保留されています。",
            "BF-12" => "CSVファイルを読み込めません。",
            "BF-14" => "監視用の電話番号には転送先を登録できません。",
            "FN-8" => $"通知先メールアドレスは{ContractValidator.MaxRecipients}件までです。",
            "FN-9" => "メールアドレスの形式が正しくありません。",
            "FN-10" => "文字数が上限を超えているか、使えない文字が含まれています。",
            "FN-14" => "故障通知サービスの開始・自動開始・自動停止には、送信する通知先を1件以上登録してください。",
            "FN-2" or "FN-3" => "故障通知サービスの開始には監視設定が必要です。サポート窓口にお問い合わせください。",
            "format" => "電話番号は0から始まる10桁または11桁で入力してください（ハイフン可）。",
            _ => "入力内容を確認してください。",
        };
        return $"{lead}（{violation.Rule}：{Where(violation.Field)}{violation.Message}）";
    }

    /// <summary>A CSV line ("csv[3].destination") or a recipient row as the customer sees it; other fields are not named.</summary>
    private static string Where(string field)
    {
        if (field.StartsWith("csv[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is > 4 and var close)
        {
            return $"{field[4..close]}行目 ";
        }

        const string Recipient = "notification.recipients[";
        if (field.StartsWith(Recipient, StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is var end && end > Recipient.Length
            && int.TryParse(field.AsSpan(Recipient.Length, end - Recipient.Length), System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return $"通知先{index + 1} ";
        }

        return "";
    }
}
