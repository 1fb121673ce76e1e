using System.Security.Authentication;
using GatewayAgent.Hosting;

namespace GatewayAgent.Controller.Hosting;

/// <summary>Host plumbing: configuration sources, listen URLs, the clock, and the exit code for bad options.</summary>
public static class ControllerHost
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public const string Usage = """
        usage: gateway-controller [--config FILE] [--Section:Key=value ...]
        Runs the controller: the contract API and health/metrics on Controller:Urls (default http://127.0.0.1:8080),
        the SIP prober, failure detection, the notification outbox and the telemetry ingest (embedded MQTT broker on
        Controller:Mqtt:Listen, or an external broker). Configuration: appsettings.json beside the binary, the --config
        file, GATEWAY_-prefixed environment variables (GATEWAY_Controller__Urls), then --Section:Key=value.
               gateway-controller --help | -h   this text; starts nothing
        Exit 0 when stopped (SIGTERM, Ctrl+C); 2 when an option is invalid (one line naming the key); 1 when it
        cannot start (a listen address in use: one line naming it).
        """;

    /// <summary>
    /// appsettings.json, then the file given by --config, then GATEWAY_-prefixed environment variables, then the
    /// command line. Listen on Controller:Urls, else ASPNETCORE_URLS / --urls, else http://127.0.0.1:8080.
    /// </summary>
    public static WebApplicationBuilder AddControllerHost(this WebApplicationBuilder builder, string[] args)
    {
        if (builder.Configuration["config"] is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        builder.Configuration.AddEnvironmentVariables("GATEWAY_");
        builder.Configuration.AddCommandLine(args);

        var urls = builder.Configuration["Controller:Urls"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls(urls);
        }
        else if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        // HTTPS (issue 12 item 7): https:// URLs in Controller:Urls use Controller:Https's certificate, TLS 1.2 or 1.3 only.
        var listenUrls = builder.Configuration["Controller:Urls"] ?? builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? "";
        builder.Services.AddOptionsSection<ControllerHttpsOptions>(ControllerHttpsOptions.Section)
            .Configure(o => o.HttpsRequested = listenUrls.Contains("https://", StringComparison.OrdinalIgnoreCase))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // Kestrel is configured when the app is built, before options are validated: read the keys as they are and
            // leave a bad certificate to the validation at start (exit 2 naming the key).
            var https = context.Configuration.GetSection(ControllerHttpsOptions.Section).Get<ControllerHttpsOptions>() ?? new ControllerHttpsOptions();
            var certificate = https.TryLoadCertificate(out _);
            kestrel.ConfigureHttpsDefaults(defaults =>
            {
                defaults.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                if (certificate is not null)
                {
                    defaults.ServerCertificate = certificate;
                }
            });
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Logging.AddStartupErrorFilter();
        builder.Services.AddParentWatch(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Runs the host. Invalid options print one line per failure naming the key and exit 2; a listen address in use
    /// (HTTP, MQTT, the SMTP sink) prints one line naming it and exits 1 (<see cref="HostStartup"/>).
    /// </summary>
    public static Task<int> RunControllerAsync(this WebApplication app) => HostStartup.RunAsync(app, "gateway-controller", Console.Error);
}
