using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Api;

/// <summary>
/// Operator authentication and authorisation (issue 12 item 7): every request except /healthz and /metrics must carry a
/// configured key in X-Api-Key. The key names the caller (<see cref="ApiCaller"/>: the audited actor) and its
/// <see cref="ApiRole"/>, which must be at least the endpoint's (<see cref="ApiRoleRequirement"/>; 403 otherwise). Keys are
/// compared as SHA-256 digests in constant time, every configured key each time. A source with too many failures is
/// refused with 429 before its key is looked at (<see cref="FailedAuthThrottle"/>).
/// </summary>
public sealed class ApiKeyMiddleware
{
    public const string HeaderName = "X-Api-Key";

    private readonly RequestDelegate _next;
    private readonly ILogger<ApiKeyMiddleware> _logger;
    private readonly FailedAuthThrottle _throttle;
    private readonly (byte[] Digest, ApiCaller Caller)[] _keys;

    public ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options, FailedAuthThrottle throttle, ILogger<ApiKeyMiddleware> logger)
    {
        _next = next;
        _logger = logger;
        _throttle = throttle;
        var legacy = options.Value.Keys.Select((k, i) => (Digest(k), new ApiCaller(ApiOptionsValidator.LegacyName(i), ApiRole.Admin)));
        var named = options.Value.NamedKeys.Select(k =>
            (k.Key is { Length: > 0 } key ? Digest(key) : Convert.FromHexString(k.KeySha256!), new ApiCaller(k.Name!, k.Role)));
        _keys = [.. legacy, .. named];
        if (_keys.Length == 0)
        {
            Log.NoApiKeys(logger);
        }
    }

    public static bool IsOpen(PathString path) =>
        path.Equals("/healthz", StringComparison.OrdinalIgnoreCase) || path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsOpen(context.Request.Path))
        {
            await _next(context);
            return;
        }

        var source = context.Connection.RemoteIpAddress;
        if (_throttle.RetryAfter(source) is { } wait)
        {
            Log.Throttled(_logger, source?.ToString() ?? "?", context.Request.Method, context.Request.Path.ToString());
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many failed authentications",
                    detail: "This address sent too many unknown API keys; try again later.")
                .ExecuteAsync(context);
            return;
        }

        if (Authenticate(context.Request.Headers[HeaderName].ToString()) is not { } caller)
        {
            _throttle.RecordFailure(source);
            Log.Unauthorized(_logger, context.Request.Method, context.Request.Path.ToString(), source?.ToString() ?? "?");
            await Results.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "API key required",
                    detail: $"Send a configured operator key in the {HeaderName} header.")
                .ExecuteAsync(context);
            return;
        }

        var required = ApiRoleRequirement.For(context);
        if (!caller.Has(required))
        {
            Log.Forbidden(_logger, caller.Name, caller.Role, context.Request.Method, context.Request.Path.ToString(), required);
            await Results.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Role too low",
                    detail: $"The key '{caller.Name}' has the role {Name(caller.Role)}; this call needs {Name(required)}.",
                    extensions: new Dictionary<string, object?> { ["requiredRole"] = Name(required) })
                .ExecuteAsync(context);
            return;
        }

        context.Features.Set(caller);
        await _next(context);
    }

    private static string Name(ApiRole role) => role.ToString().ToLowerInvariant();

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private ApiCaller? Authenticate(string presented)
    {
        if (presented.Length == 0)
        {
            return null;
        }

        // Every key is compared, whichever matches: the time taken does not say which one (or whether one) did.
        var digest = Digest(presented);
        ApiCaller? match = null;
        foreach (var (key, caller) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, key))
            {
                match = caller;
            }
        }

        return match;
    }
}
