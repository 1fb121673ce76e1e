using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using GatewayAgent.Controller.Hosting;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Hosting;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace GatewayAgent.Portal.Hosting;

/// <summary>The settings site's parts: cookie sessions, policies, antiforgery, shared Data Protection keys, the login throttle, pages.</summary>
public static class PortalServiceCollectionExtensions
{
    /// <summary>The Data Protection application name: every node of the site must use the same one to read each other's cookies.</summary>
    public const string ApplicationName = "GatewayAgent.Portal";

    public const string CookieName = "gw-portal";

    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddOptionsSection<PortalOptions>(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>();
        // Several nodes behind one name share the key ring through this directory (or a shared volume), so a cookie
        // issued by one node is read by every other (issue 11, docs/portal.md). Read from the options when first used,
        // so a bad setting is reported by the host's start (exit 2 naming the key) before any directory is made.
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>()
            .Configure<IConfiguration, ILoggerFactory>((keys, configuration, loggers) =>
                keys.XmlRepository = new OwnerOnlyXmlRepository(new DirectoryInfo(KeysDirectory(configuration)), loggers));

        services.AddScoped<PortalCookieEvents>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = "/Account/Login";
                cookie.LogoutPath = "/Account/Logout";
                cookie.AccessDeniedPath = "/Error";
                cookie.SlidingExpiration = false; // renewed on every request by PortalCookieEvents instead
                cookie.EventsType = typeof(PortalCookieEvents);
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<TimeProvider, IOptions<PortalOptions>>((cookie, time, portal) =>
            {
                cookie.TimeProvider = time; // the idle timeout runs on the injected clock (tests advance a fake one)
                cookie.ExpireTimeSpan = portal.Value.IdleTimeout;
            });

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ContractSettingsRequirement>();
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Customer, policy => policy.RequireAuthenticatedUser().RequireClaim(PortalClaims.Number))
            .AddPolicy(PortalPolicies.ContractSettings, policy => policy.RequireAuthenticatedUser().AddRequirements(new ContractSettingsRequirement()))
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "gw-portal-af";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "__RequestVerificationToken";
        });

        // SS-6: failed logins are throttled per client address; the lockout itself is per account, in the database.
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
                HttpMethods.IsPost(context.Request.Method)
                && context.Request.Path.Equals("/Account/Login", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress ?? IPAddress.None,
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = context.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value.LoginAttemptsPerMinute,
                            Window = TimeSpan.FromMinutes(1),
                            QueueLimit = 0,
                        })
                    : RateLimitPartition.GetNoLimiter(IPAddress.None));
        });

        // Japanese text is written as it is, not as numeric character references.
        services.Configure<WebEncoderOptions>(encoder => encoder.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

        services.AddRazorPages(pages =>
        {
            // SS-2: the policy is decided on the server for every handler of every page, by folder: signed in for all,
            // the contract-settings policy for everything under /Contract, whatever the menu shows.
            pages.Conventions.AuthorizeFolder("/", PortalPolicies.Customer);
            pages.Conventions.AuthorizeFolder("/Contract", PortalPolicies.ContractSettings);
            pages.Conventions.AllowAnonymousToPage("/Account/Login");
            pages.Conventions.AllowAnonymousToPage("/Error");
            pages.Conventions.AllowAnonymousToPage("/Account/Otp/Confirm"); // SS-7: the mailed link opens wherever the mail is read
        }).AddMvcOptions(mvc =>
        {
            mvc.Filters.Add<OtpGate>();
            mvc.Filters.Add<PasswordChangeGate>();
        });
        return services;
    }

    /// <summary>The middleware of the site, in order.</summary>
    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        app.UseExceptionHandler("/Error");
        app.UsePortalSecurityHeaders();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();

        // For load balancers and the lab: 200 when the database answers, 503 when it does not.
        app.MapGet("/healthz", static async (ControllerDatabase database, CancellationToken cancellationToken) =>
            await database.PingAsync(cancellationToken) ? Results.Text("ok") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous();
        return app;
    }

    /// <summary>Portal:KeysDirectory, else "portal-keys" in Controller:DataDirectory (read as text: the site is composed before options are validated).</summary>
    public static string KeysDirectory(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var dataDirectory = configuration[$"{ControllerOptions.Section}:DataDirectory"] is { Length: > 0 } data ? data : new ControllerOptions().DataDirectory;
        return Path.GetFullPath(configuration[$"{PortalOptions.Section}:KeysDirectory"] is { Length: > 0 } keys ? keys : Path.Combine(dataDirectory, "portal-keys"));
    }
}
