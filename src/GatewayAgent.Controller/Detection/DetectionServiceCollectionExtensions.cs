using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Detection;

public static class DetectionServiceCollectionExtensions
{
    /// <summary>The four-miss detector behind <see cref="IProbeOutcomeSink"/> and the detection history.</summary>
    public static IServiceCollection AddDetection(this IServiceCollection services)
    {
        services.AddOptions<DetectionOptions>().BindConfiguration(DetectionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FailureCauseResolver>();
        services.AddSingleton<DetectionHistory>();
        services.AddSingleton<ProbeOutcomeRecorder>();
        services.AddSingleton<IProbeOutcomeSink>(provider => provider.GetRequiredService<ProbeOutcomeRecorder>());
        return services;
    }
}
