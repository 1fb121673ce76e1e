namespace GatewayAgent.Controller.Api;

/// <summary>
/// Endpoint metadata: the least role a caller needs. An endpoint without it needs <see cref="ApiRole.Read"/> for GET and
/// HEAD and <see cref="ApiRole.Admin"/> for anything else (deny by default).
/// </summary>
public sealed record ApiRoleRequirement(ApiRole Role)
{
    public static ApiRole For(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<ApiRoleRequirement>()?.Role
        ?? (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? ApiRole.Read : ApiRole.Admin);
}
