using GatewayAgent.Hosting;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GatewayAgent.Controller.Probing;

/// <summary>Composes the prober: options, its own SIP stack (dialer), the scheduler and its metrics.</summary>
public static class ProbingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ProbeScheduler"/> (hosted, and as <see cref="IFastProbing"/>) and <see cref="SipProbeDialer"/>
    /// (hosted, started first) with validated <see cref="ProbingOptions"/>. The host registers
    /// <see cref="IProbeTargetSource"/> and <see cref="IProbeOutcomeSink"/> (the store and the detector).
    /// </summary>
    public static IServiceCollection AddProbing(this IServiceCollection services)
    {
        services.AddOptionsSection<ProbingOptions>(ProbingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => SipListenAddress.TryParse(o.Listen, out _), "Controller:Probing:Listen must look like udp:0.0.0.0:5070 (transport:IP:port)")
            .Validate(o => string.IsNullOrWhiteSpace(o.Canary) || IsProbeUri(o.Canary, o.CanaryNumber),
                "Controller:Probing:Canary must be a sip: URI with a number (or Controller:Probing:CanaryNumber set), e.g. sip:0300000000@192.0.2.5:5060")
            .Validate(o => string.IsNullOrWhiteSpace(o.CanaryOutboundProxy) || SipListenAddress.TryParse(o.CanaryOutboundProxy, out _),
                "Controller:Probing:CanaryOutboundProxy must look like udp:192.0.2.1:5060")
            .ValidateOnStart();
        // The prober's socket gets the agent's source guard (issue 12 item 11), keys beside the others in Controller:Probing.
        services.AddOptionsSection<SourceGuardOptions>(ProbingOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.AllowedSources.TrueForAll(s => SourceGuard.TryParseNetwork(s, out _)),
                "Controller:Probing:AllowedSources must be IP addresses or CIDR blocks (e.g. 192.0.2.0/24)")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ProbingMetrics>();
        services.TryAddSingleton<ProbeTargetsChanged>();
        services.TryAddSingleton<SipProbeDialer>();
        services.TryAddSingleton<IProbeDialer>(sp => sp.GetRequiredService<SipProbeDialer>());
        services.AddHostedService(sp => sp.GetRequiredService<SipProbeDialer>());
        services.TryAddSingleton<ProbeScheduler>();
        services.TryAddSingleton<IFastProbing>(sp => sp.GetRequiredService<ProbeScheduler>());
        // Not the scheduler itself: the cluster membership reads it, and the scheduler depends on the membership.
        services.TryAddSingleton<CanaryHealth>();
        services.TryAddSingleton<IProberHealth>(sp => sp.GetRequiredService<CanaryHealth>());
        services.AddHostedService(sp => sp.GetRequiredService<ProbeScheduler>());
        return services;
    }

    private static bool IsProbeUri(string text, string? number) =>
        SipUri.TryParse(text, out var uri) && uri.Scheme == "sip" && (uri.User is not null || !string.IsNullOrWhiteSpace(number));
}
