using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using GatewayAgent.Hosting;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Portal.Hosting;

/// <summary>Host plumbing: configuration sources, listen URLs, Kestrel HTTPS with TLS 1.2 or later (SS-11), the clock.</summary>
public static class PortalHost
{
    public const string Usage = """
        usage: gateway-portal [--config FILE] [--Section:Key=value ...]
               gateway-portal issue-temporary-password --calling NUMBER --unit line|number|admin-user [--number NUMBER] [--Section:Key=value ...]
        Runs the customers' settings site (Razor Pages, Japanese) on Portal:Urls (default http://127.0.0.1:8081) over
        the controller's database (Controller:DataDirectory, Controller:Storage:*, ConnectionStrings:Controller).
        HTTPS: an https:// URL in Portal:Urls with Portal:Https:CertificatePath (PEM with Portal:Https:KeyPath, or
        PKCS#12 with Portal:Https:Password); TLS 1.2 or later only. Sessions end after Portal:IdleTimeout (default
        00:15:00) without a request. Data Protection keys: Portal:KeysDirectory (default DATA/portal-keys), shared by
        every node. Configuration: appsettings.json beside the binary, --config FILE, GATEWAY_-prefixed environment
        variables, then --Section:Key=value.
        issue-temporary-password sets an 8-digit temporary password (SS-3, valid 24 h) as the IVR would for a call
        from --calling, and prints it: for the lab and for support.
               gateway-portal --help | -h   this text; starts nothing
        Exit 0 when stopped (SIGTERM, Ctrl+C); 2 when an option is invalid (one line naming the key); 1 when it
        cannot start (a listen address in use: one line naming it).
        """;

    /// <summary>The builder of the site: options as for the controller, then the portal's URLs and certificate.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(PortalHost).Assembly.GetName().Name, // the Razor Pages live here, whoever hosts it
        });
        if (builder.Configuration["config"] is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        builder.Configuration.AddEnvironmentVariables("GATEWAY_");
        builder.Configuration.AddCommandLine(args);
        builder.WebHost.UseUrls(builder.Configuration[$"{PortalOptions.Section}:Urls"] is { Length: > 0 } urls ? urls : new PortalOptions().Urls);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            var https = context.Configuration.GetSection($"{PortalOptions.Section}:Https").Get<PortalHttpsOptions>() ?? new PortalHttpsOptions();
            if (https.CertificatePath is { Length: > 0 } certificate)
            {
                kestrel.ConfigureHttpsDefaults(defaults =>
                {
                    defaults.ServerCertificate = LoadCertificate(certificate, https.KeyPath, https.Password);
                    defaults.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13; // SS-11: TLS 1.2 or later
                });
            }
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Logging.AddStartupErrorFilter();
        builder.Services.AddParentWatch(builder.Configuration);
        return builder;
    }

    /// <summary>Runs the site with the one startup-error path of the hosts (exit 2 naming a bad key, 1 for an address in use).</summary>
    public static Task<int> RunPortalAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<IOptions<PortalOptions>>();
        return HostStartup.RunAsync(app, "gateway-portal", Console.Error);
    }

    internal static X509Certificate2 LoadCertificate(string path, string? keyPath, string? password)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        return password is null
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
    }
}
