using GatewayAgent.Controller.Notification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>AddNotification in a real host: settings validation, and the dispatcher delivering to the sink when no relay is set.</summary>
[Trait("Ring", "integration")]
public sealed class NotificationServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gateway-notify-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Without_a_relay_host_the_dispatcher_delivers_to_the_enabled_sink()
    {
        var store = new InMemoryOutboxStore();
        using var host = Host(store, new()
        {
            ["Controller:Mail:Sink:Enabled"] = "true",
            ["Controller:Mail:Sink:Listen"] = "127.0.0.1:0",
            ["Controller:Mail:Sink:Directory"] = _directory,
            ["Controller:Mail:Charset"] = "iso-2022-jp",
            ["Controller:Mail:SettingsUrl"] = "https://settings.example.jp",
        });
        await host.StartAsync();
        try
        {
            var composer = host.Services.GetRequiredService<IMailComposer>();
            var time = host.Services.GetRequiredService<TimeProvider>();
            var mail = composer.Compose(new MailFacts(MailKind.Test, "0312345678", "0312345679", time.GetUtcNow(), "株式会社サンプル", "本社", null));
            var id = await store.EnqueueAsync(1, MailKind.Test, "holder@example.jp", mail, time.GetUtcNow(), CancellationToken.None);
            host.Services.GetRequiredService<OutboxSignal>().Notify();
            await store.WaitDeliveredAsync(id);

            var file = Assert.Single(Directory.GetFiles(_directory, "*.eml"));
            var stored = await MimeMessage.LoadAsync(file);
            Assert.Equal(mail.Subject, stored.Subject);
            Assert.Equal(mail.Body, MailText.Of(stored));
            Assert.Equal("iso-2022-jp", Assert.IsType<TextPart>(stored.Body).ContentType.Charset, ignoreCase: true);
            Assert.Equal(MailMessageFactory.SinkFallbackFrom, stored.From.Mailboxes.Single().Address);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("Controller:Mail:Charset", "shift_jis", "Controller:Mail:Charset")]
    [InlineData("Controller:Mail:TimeZone", "Mars/Olympus_Mons", "Controller:Mail:TimeZone")]
    [InlineData("Controller:Mail:UndeliveredAlertAfter", "00:00:00", "Controller:Mail:UndeliveredAlertAfter")]
    [InlineData("Controller:Mail:MaxAttempts", "0", "Controller:Mail:MaxAttempts")]
    [InlineData("Controller:Mail:LeaseDuration", "00:00:01", "Controller:Mail:LeaseDuration")]
    [InlineData("Controller:Mail:LeaseDuration", "02:00:00", "Controller:Mail:LeaseDuration")]
    [InlineData("Controller:Mail:SettingsUrl", "not a url", "Controller:Mail:SettingsUrl")]
    [InlineData("Controller:Mail:Smtp:Host", "smtp.example.jp", "Controller:Mail:Smtp:From")]
    [InlineData("Controller:Mail:Smtp:Port", "70000", "Controller:Mail:Smtp:Port")]
    [InlineData("Controller:Mail:Sink:Listen", "localhost", "Controller:Mail:Sink:Listen")]
    public async Task A_bad_setting_stops_the_start_with_a_message_naming_its_key(string key, string value, string named)
    {
        using var host = Host(new InMemoryOutboxStore(), new()
        {
            ["Controller:Mail:Sink:Enabled"] = "true",
            ["Controller:Mail:Sink:Listen"] = "127.0.0.1:0",
            ["Controller:Mail:Sink:Directory"] = _directory,
            [key] = value,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid_and_name_Tokyo_utf8_a_15_minute_alert_and_a_30_second_lease()
    {
        using var host = Host(new InMemoryOutboxStore(), []);
        var mail = host.Services.GetRequiredService<IOptions<MailOptions>>().Value;
        Assert.Equal("Asia/Tokyo", mail.TimeZone);
        Assert.Equal("utf-8", mail.Charset);
        Assert.Equal(TimeSpan.FromMinutes(15), mail.UndeliveredAlertAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), mail.LeaseDuration);
        Assert.False(host.Services.GetRequiredService<IOptions<SmtpSinkOptions>>().Value.Enabled);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static IHost Host(InMemoryOutboxStore store, Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders(); // expected start failures are asserted, not shown on the console
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IOutboxStore>(store);
        builder.Services.AddNotification();
        return builder.Build();
    }
}
