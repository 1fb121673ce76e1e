using GatewayAgent.Controller.Notification;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>The Japanese mails against the guide's failure-mail sample (FN-15) and the FN-8 test mail.</summary>
[Trait("Ring", "unit")]
public class MailComposerTests
{
    // The body of "■故障通知メールのイメージ" in seed-service-guide-ja.txt (lines 2432-2444), verbatim: the
    // lines above it are the mail client's date, sender and subject. Placeholders are filled in by Fill().
    private const string GuideSample =
        "（お客さま名）様\n" +
        "（拠点名）において\n" +
        "\n" +
        "「ひかり電話オフィスA（エース）」の監視用電話番号に対し、\n" +
        "着信ができない状態であることを検知致しました。\n" +
        "現在の通話状況を確認の上、必要に応じて「ひかり電話設定\n" +
        "サイト」により一括転送の「開始」をお願い致します。\n" +
        "\n" +
        "■契約電話番号：030000XXXX\n" +
        "■監視用電話番号：030000XXXX\n" +
        "■故障検出日時：＊＊＊＊/＊＊/＊＊ ＊＊:＊＊:＊＊\n" +
        "■ひかり電話設定サイトURL\n" +
        "https://www.hikari.ntt-east.net\n";

    private const string SettingsUrl = "https://settings.example.jp/hikari";

    // 2026-03-31 15:30:05 UTC is 2026-04-01 00:30:05 in Tokyo (UTC+9): the date changes too.
    private static readonly DateTimeOffset DetectedAt = new(2026, 3, 31, 15, 30, 5, TimeSpan.Zero);

    private readonly MailComposer _composer = Composer(MailTimeZone.Tokyo);

    [Fact]
    public void Failure_mail_is_the_guide_sample_line_for_line_with_the_facts_filled_in()
    {
        var mail = _composer.Compose(Facts(MailKind.Failure, cause: null));

        Assert.Equal("着信異常検知のお知らせです", mail.Subject);
        Assert.Equal(Fill(GuideSample, "株式会社サンプル", "本社ビル３階", "0312345678", "0312345679", "2026/04/01 00:30:05"), mail.Body);
    }

    [Fact]
    public void Failure_mail_names_each_fact_on_its_sample_line()
    {
        var lines = _composer.Compose(Facts(MailKind.Failure, MailCause.NoAnswer)).Body.Split('\n');

        Assert.Equal("株式会社サンプル様", lines[0]);
        Assert.Equal("本社ビル３階において", lines[1]);
        Assert.Contains("■契約電話番号：0312345678", lines);
        Assert.Contains("■監視用電話番号：0312345679", lines);
        Assert.Contains("■故障検出日時：2026/04/01 00:30:05", lines);
        var url = Array.IndexOf(lines, "■ひかり電話設定サイトURL");
        Assert.True(url > 0);
        Assert.Equal(SettingsUrl, lines[url + 1]);
    }

    [Theory]
    [InlineData(MailCause.PowerLost, "■推定原因：アダプタからの停電通知")]
    [InlineData(MailCause.Offline, "■推定原因：アダプタのオフライン（通信断）")]
    [InlineData(MailCause.WanDown, "■推定原因：アダプタのオフライン（通信断）")]
    [InlineData(MailCause.NoAnswer, "■推定原因：試験呼への応答なし")]
    public void Failure_mail_names_a_known_cause_right_after_the_detection_time(string cause, string expectedLine)
    {
        var lines = _composer.Compose(Facts(MailKind.Failure, cause)).Body.Split('\n');

        var detected = Array.IndexOf(lines, "■故障検出日時：2026/04/01 00:30:05");
        Assert.Equal(expectedLine, lines[detected + 1]);
        Assert.Equal("■ひかり電話設定サイトURL", lines[detected + 2]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("something.else")]
    public void Failure_mail_without_a_known_cause_has_no_cause_line(string? cause)
    {
        var body = _composer.Compose(Facts(MailKind.Failure, cause)).Body;
        Assert.DoesNotContain("推定原因", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Recovery_mail_mirrors_the_failure_mail()
    {
        var failure = _composer.Compose(Facts(MailKind.Failure, cause: null));
        var recovery = _composer.Compose(Facts(MailKind.Recovery, cause: null));

        Assert.Equal("回復検知のお知らせです", recovery.Subject);
        var expected = failure.Body
            .Replace("着信ができない状態であることを検知致しました。", "着信ができる状態に回復したことを検知致しました。", StringComparison.Ordinal)
            .Replace("一括転送の「開始」", "一括転送の「停止」", StringComparison.Ordinal)
            .Replace("■故障検出日時：", "■回復検出日時：", StringComparison.Ordinal);
        Assert.NotEqual(failure.Body, expected);
        Assert.Equal(expected, recovery.Body);
    }

    [Fact]
    public void Recovery_mail_does_not_print_a_cause()
    {
        var body = _composer.Compose(Facts(MailKind.Recovery, MailCause.PowerLost)).Body;
        Assert.DoesNotContain("推定原因", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_mail_says_it_is_a_sending_test_and_shows_the_facts()
    {
        var mail = _composer.Compose(Facts(MailKind.Test, cause: null));

        Assert.Equal("送信テストのお知らせです", mail.Subject);
        var lines = mail.Body.Split('\n');
        Assert.Equal("株式会社サンプル様", lines[0]);
        Assert.Contains("送信テストです。", lines);
        Assert.Contains("■契約電話番号：0312345678", lines);
        Assert.Contains("■監視用電話番号：0312345679", lines);
        Assert.Contains("■拠点名：本社ビル３階", lines);
        Assert.Contains("■送信日時：2026/04/01 00:30:05", lines);
        Assert.Equal(SettingsUrl, lines[^2]);
        Assert.DoesNotContain("故障検出日時", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_holder_and_site_leave_a_polite_greeting_and_no_site_line()
    {
        var facts = Facts(MailKind.Failure, cause: null) with { HolderName = null, SiteInformation = " " };
        var lines = _composer.Compose(facts).Body.Split('\n');

        Assert.Equal("お客さま", lines[0]);
        Assert.Equal(string.Empty, lines[1]);
        Assert.StartsWith("「ひかり電話オフィスA（エース）」", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "2026/01/01 09:00:00")]
    [InlineData("2025-12-31T14:59:59Z", "2025/12/31 23:59:59")]
    [InlineData("2025-12-31T15:00:00Z", "2026/01/01 00:00:00")]
    [InlineData("2026-07-15T12:00:00+02:00", "2026/07/15 19:00:00")]
    public void Times_are_printed_in_Japan_Standard_Time_in_the_sample_format(string instant, string expected)
    {
        var zone = new MailTimeZone(MailTimeZone.Tokyo);
        Assert.Equal(expected, zone.FormatTime(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_time_zone_is_a_setting()
    {
        var composer = Composer("Europe/London");
        var lines = composer.Compose(Facts(MailKind.Failure, cause: null)).Body.Split('\n');
        // 15:30:05 UTC on 31 March 2026 is 16:30:05 British Summer Time.
        Assert.Contains("■故障検出日時：2026/03/31 16:30:05", lines);
    }

    [Fact]
    public void Asia_Tokyo_resolves_even_where_the_fixed_offset_fallback_would_be_needed()
    {
        Assert.True(MailTimeZone.TryResolve("Asia/Tokyo", out var zone, out _));
        Assert.Equal(TimeSpan.FromHours(9), zone.GetUtcOffset(DetectedAt));
        Assert.False(MailTimeZone.TryResolve("Mars/Olympus_Mons", out _, out _));
    }

    private static MailComposer Composer(string zone) =>
        new(Options.Create(new MailOptions { SettingsUrl = SettingsUrl, TimeZone = zone }),
            new MailTimeZone(Options.Create(new MailOptions { TimeZone = zone }), NullLogger<MailTimeZone>.Instance));

    private static MailFacts Facts(MailKind kind, string? cause) =>
        new(kind, "0312345678", "0312345679", DetectedAt, "株式会社サンプル", "本社ビル３階", cause);

    private static string Fill(string sample, string holder, string site, string contract, string monitoring, string time)
    {
        var contractAt = sample.IndexOf("030000XXXX", StringComparison.Ordinal);
        var filled = sample[..contractAt] + contract + sample[(contractAt + "030000XXXX".Length)..];
        return filled
            .Replace("（お客さま名）", holder, StringComparison.Ordinal)
            .Replace("（拠点名）", site, StringComparison.Ordinal)
            .Replace("030000XXXX", monitoring, StringComparison.Ordinal)
            .Replace("＊＊＊＊/＊＊/＊＊ ＊＊:＊＊:＊＊", time, StringComparison.Ordinal)
            .Replace("https://www.hikari.ntt-east.net", SettingsUrl, StringComparison.Ordinal);
    }
}
