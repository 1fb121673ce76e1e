using System.Text.Json.Serialization;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Hosting;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>Operator API: API-key options, problem+json errors, JSON with string enums, the OpenAPI document.</summary>
    public static IServiceCollection AddControllerApi(this IServiceCollection services)
    {
        services.AddOptionsSection<ApiOptions>(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddSingleton<FailedAuthThrottle>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi();
        return services;
    }

    /// <summary>Error pages as problem+json, then the API key check (everything but /healthz and /metrics).</summary>
    public static IApplicationBuilder UseControllerApi(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Unreadable bodies (malformed JSON) are the client's fault: 400, not 500.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }

    /// <summary>/healthz: 200 "ok" when the database answers, else 503.</summary>
    public static IEndpointConventionBuilder MapControllerHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/healthz", async (ControllerDatabase database, CancellationToken ct) =>
            await database.PingAsync(ct) ? Results.Text("ok") : Results.Text("database unreachable", statusCode: StatusCodes.Status503ServiceUnavailable));
}
