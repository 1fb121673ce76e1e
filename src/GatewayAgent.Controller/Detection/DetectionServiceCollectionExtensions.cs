using GatewayAgent.Controller.Probing;
using GatewayAgent.Hosting;

namespace GatewayAgent.Controller.Detection;

public static class DetectionServiceCollectionExtensions
{
    /// <summary>The four-miss detector behind <see cref="IProbeOutcomeSink"/> and the detection history.</summary>
    public static IServiceCollection AddDetection(this IServiceCollection services)
    {
        services.AddOptionsSection<DetectionOptions>(DetectionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FailureCauseResolver>();
        services.AddSingleton<DetectionHistory>();
        services.AddSingleton<ProbeOutcomeRecorder>();
        services.AddSingleton<IProbeOutcomeSink>(provider => provider.GetRequiredService<ProbeOutcomeRecorder>());
        return services;
    }
}
