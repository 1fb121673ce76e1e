namespace GatewayAgent.Controller.Api;

/// <summary>
/// Who an authenticated request comes from: the API key's name and role (<see cref="ApiKeyMiddleware"/> sets it as a
/// request feature). The name is the audited actor (issue 12 item 7); X-Operator is only a note beside it.
/// </summary>
public sealed record ApiCaller(string Name, ApiRole Role)
{
    public const string OperatorHeader = "X-Operator";

    /// <summary>The caller of this request; an unauthenticated request never reaches an endpoint, so this is never null there.</summary>
    public static ApiCaller Of(HttpContext http) =>
        http.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("The request was not authenticated");

    /// <summary>The free X-Operator header (at most 64 characters), or null.</summary>
    public static string? OperatorNote(HttpContext http)
    {
        var name = http.Request.Headers[OperatorHeader].ToString().Trim();
        return name.Length is > 0 and <= 64 ? name : null;
    }

    public bool Has(ApiRole role) => Role >= role;
}
