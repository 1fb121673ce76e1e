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

    /// <summary>
    /// /healthz: 200 "ok" when the database answers and writes get through (<see cref="WriteHealth"/>: the last database
    /// error is not newer than the last commit, and no write has waited longer than Controller:Storage:MaxCommitAge);
    /// else 503 naming why (issue 12 item 9).
    /// </summary>
    public static IEndpointConventionBuilder MapControllerHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/healthz", async (ControllerDatabase database, WriteHealth writes, CancellationToken ct) =>
        {
            if (!await database.PingAsync(ct))
            {
                return Results.Text("database unreachable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return writes.Problem() is { } problem
                ? Results.Text(problem, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ok");
        });
}
