using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Hosting;

/// <summary>Host plumbing: configuration sources, listen URLs, the clock, and the exit code for bad options.</summary>
public static class ControllerHost
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Exit code when configuration is invalid.</summary>
    public const int InvalidConfigurationExitCode = 2;

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

        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Runs the host; invalid options print one line per failure (naming the key) and exit 2.</summary>
    public static async Task<int> RunControllerAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (OptionsFailures(ex) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync($"gateway-controller: invalid configuration: {failure}");
            }

            return InvalidConfigurationExitCode;
        }
    }

    private static List<string>? OptionsFailures(Exception ex) => ex switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. aggregate.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)],
        _ => null,
    };
}
