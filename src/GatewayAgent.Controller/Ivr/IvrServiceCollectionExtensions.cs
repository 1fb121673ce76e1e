using GatewayAgent.Hosting;
using GatewayAgent.Sip.Rtp;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ivr;

/// <summary>Composes the temporary-password IVR (SS-3) from "Controller:Ivr"; it stays off until Controller:Ivr:Listen is set.</summary>
public static class IvrServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IvrService"/> (hosted) with validated <see cref="IvrOptions"/> and the RTP range of
    /// Controller:Ivr:Rtp. With the IVR on, the host must register <see cref="ITemporaryPasswordIssuer"/> (the account store).
    /// </summary>
    public static IServiceCollection AddIvr(this IServiceCollection services)
    {
        services.AddOptionsSection<IvrOptions>(IvrOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IvrOptions>, IvrOptionsValidator>());
        services.AddOptionsSection<RtpPortAllocatorOptions>(IvrOptions.SectionName + ":Rtp").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScopedTemporaryPasswordIssuer>();
        services.TryAddSingleton<IvrService>();
        services.AddHostedService(sp => sp.GetRequiredService<IvrService>());
        return services;
    }
}
