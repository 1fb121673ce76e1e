using System.Globalization;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Domain.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Portal.Tests;

/// <summary>
/// The settings site as it runs (Program.Build: real Kestrel on a loopback port, SQLite in a temp data directory,
/// Data Protection keys there), with a fake clock. One contract: 0312345678 with additional numbers 0312345679 and
/// 0312345670 (monitoring). <see cref="RestartAsync"/> builds a new site on the same data directory and port.
/// </summary>
public sealed class PortalSite : IAsyncDisposable
{
    public const string ContractNumber = "0312345678";
    public const string Additional = "0312345679";
    public const string Monitoring = "0312345670";

    private readonly Dictionary<string, string> _settings;
    private readonly Action<WebApplicationBuilder>? _configure;
    private WebApplication _app;

    private PortalSite(string directory, int port, Dictionary<string, string> settings, FakeTimeProvider time, Action<WebApplicationBuilder>? configure)
    {
        Directory = directory;
        Port = port;
        _settings = settings;
        Time = time;
        _configure = configure;
        _app = Build();
    }

    public string Directory { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The SMTP sink's directory when the site was started with <c>mail</c> (its mails, one .eml each).</summary>
    public string MailDirectory => Path.Combine(Directory, "mail-sink");

    /// <summary>
    /// Starts the site. With <paramref name="mail"/>, the controller's outbox dispatcher and its SMTP sink run in the
    /// site's process too (as the controller runs them next to the site in the lab), so the site's mails arrive in
    /// <see cref="MailDirectory"/> through the real outbox, MailKit and SMTP.
    /// </summary>
    public static async Task<PortalSite> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null, bool mail = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("portal-test-").FullName;
        var port = FreePort.Next();
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Controller:DataDirectory"] = directory,
            ["Portal:Urls"] = $"http://127.0.0.1:{port}",
        };
        if (mail)
        {
            all["Controller:Mail:Sink:Enabled"] = "true";
            all["Controller:Mail:Sink:Listen"] = $"127.0.0.1:{FreePort.Next()}";
            all["Controller:Mail:Sink:Directory"] = Path.Combine(directory, "mail-sink");
            var outer = configure;
            configure = builder =>
            {
                builder.Services.AddNotification();
                outer?.Invoke(builder);
            };
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        var site = new PortalSite(directory, port, all, new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)), configure);
        await site._app.StartAsync();
        await site.Services.GetRequiredService<ContractStore>().CreateAsync(new ContractDefinition
        {
            ContractNumber = ContractNumber,
            AdditionalNumbers = [Additional, Monitoring],
            Channels = 2,
            MonitoringNumber = Monitoring,
            ProbeTarget = "sip:192.0.2.10:5060",
            Destinations = [new DestinationEntry(ContractNumber, "09012345678")],
            Notification = new NotificationSettings { HolderName = "株式会社テスト", Recipients = [new RecipientEntry("ops@example.jp", true)], ServiceOn = true },
        }, CancellationToken.None);
        return site;
    }

    /// <summary>A temporary password set as the IVR sets it (SS-3) for a call from the contract number; returns the 8 digits.</summary>
    public async Task<string> IssueTemporaryPasswordAsync(AuthenticationUnit unit, string number, string digits = "58203914")
    {
        var refusal = await Services.GetRequiredService<ITemporaryPasswordIssuer>().IssueAsync(
            ContractNumber, unit, unit == AuthenticationUnit.Line ? null : number, digits, CancellationToken.None);
        Assert.Null(refusal);
        return digits;
    }

    /// <summary>Stops this site and starts a new one on the same database, keys and port (a restart, or another node).</summary>
    public async Task RestartAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _app = Build();
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private WebApplication Build() =>
        Program.Build(
            [.. _settings.Select(s => string.Create(CultureInfo.InvariantCulture, $"--{s.Key}={s.Value}"))],
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(Time);
                _configure?.Invoke(builder);
            });
}
