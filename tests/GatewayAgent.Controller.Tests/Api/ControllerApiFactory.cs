using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// The real controller host (Program) on a real SQLite file in a temp directory, with a fake clock. Its log goes to
/// <see cref="Logs"/>, not to the console (the prober's transport errors to unreachable test targets are expected).
/// </summary>
public sealed class ControllerApiFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-operator-key-0123456789";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("controller-api-").FullName;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));

    public RecordingMailComposer Composer { get; } = new();

    public LogCapture Logs { get; } = new();

    /// <summary>More configuration (e.g. named API keys), applied when the host is built: set before the first client.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>More services (e.g. a startup filter), added when the host is built: set before the first client.</summary>
    public List<Action<IServiceCollection>> ExtraServices { get; } = [];

    public HttpClient CreateOperatorClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        client.DefaultRequestHeaders.Add("X-Operator", "tester");
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Controller:DataDirectory", DataDirectory);
        // Test hosts run in parallel: each embedded MQTT broker on its own free port, not the default 1883.
        builder.UseSetting("Controller:Mqtt:Listen", $"127.0.0.1:{FreePort.Next()}");
        // A named admin key: its name ("tester", like the X-Operator note the operator client sends) is the audited actor.
        builder.UseSetting("Controller:Api:NamedKeys:0:Name", "tester");
        builder.UseSetting("Controller:Api:NamedKeys:0:Key", ApiKey);
        builder.UseSetting("Controller:Api:NamedKeys:0:Role", "admin");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs.CreateProvider()));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IMailComposer>(Composer);
            ExtraServices.ForEach(add => add(services));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataDirectory))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
