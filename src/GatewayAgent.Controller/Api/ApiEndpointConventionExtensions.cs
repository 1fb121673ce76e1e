namespace GatewayAgent.Controller.Api;

public static class ApiEndpointConventionExtensions
{
    /// <summary>The least <see cref="ApiRole"/> a caller needs for this endpoint (checked by <see cref="ApiKeyMiddleware"/>).</summary>
    public static TBuilder RequireApiRole<TBuilder>(this TBuilder builder, ApiRole role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiRoleRequirement(role));
}
