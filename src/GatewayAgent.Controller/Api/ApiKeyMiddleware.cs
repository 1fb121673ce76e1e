using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Api;

/// <summary>
/// Operator authentication: every request except /healthz and /metrics must carry a configured key in X-Api-Key.
/// Keys are compared as SHA-256 digests in constant time.
/// </summary>
public sealed class ApiKeyMiddleware
{
    public const string HeaderName = "X-Api-Key";

    private readonly RequestDelegate _next;
    private readonly ILogger<ApiKeyMiddleware> _logger;
    private readonly byte[][] _keyDigests;

    public ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options, ILogger<ApiKeyMiddleware> logger)
    {
        _next = next;
        _logger = logger;
        _keyDigests = options.Value.Keys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();
        if (_keyDigests.Length == 0)
        {
            Log.NoApiKeys(logger);
        }
    }

    public static bool IsOpen(PathString path) =>
        path.Equals("/healthz", StringComparison.OrdinalIgnoreCase) || path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsOpen(context.Request.Path) || IsAccepted(context.Request.Headers[HeaderName].ToString()))
        {
            await _next(context);
            return;
        }

        Log.Unauthorized(_logger, context.Request.Method, context.Request.Path.ToString());
        await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "API key required",
                detail: $"Send a configured operator key in the {HeaderName} header.")
            .ExecuteAsync(context);
    }

    private bool IsAccepted(string presented)
    {
        if (presented.Length == 0)
        {
            return false;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var accepted = false;
        foreach (var key in _keyDigests)
        {
            accepted |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        return accepted;
    }
}
