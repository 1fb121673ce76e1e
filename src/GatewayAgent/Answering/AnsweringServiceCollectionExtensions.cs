using GatewayAgent.Hosting;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using GatewayAgent.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Answering;

/// <summary>Composes the SIP stack and the probe answerer from the "Agent:Sip" configuration.</summary>
public static class AnsweringServiceCollectionExtensions
{
    public static IServiceCollection AddProbeAnswering(this IServiceCollection services)
    {
        const string Section = AgentSipOptions.SectionName;
        services.AddOptionsSection<AgentSipOptions>(Section, static (section, options) => section.Bind(options)).ValidateWith(new AgentSipOptionsValidator()).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentSipOptions>, ListenOverrideValidator>();
        services.AddOptionsSection<ProbeAnswererOptions>(Section, static (section, options) => section.Bind(options)).ValidateWith(new ProbeAnswererOptionsValidator()).ValidateOnStart();
        services.AddOptionsSection<SourceGuardOptions>(Section, static (section, options) => section.Bind(options)).ValidateWith(new SourceGuardOptionsValidator())
            .Validate(o => o.AllowedSources.TrueForAll(s => SourceGuard.TryParseNetwork(s, out _)),
                "Agent:Sip:AllowedSources must be IP addresses or CIDR blocks (e.g. 192.0.2.0/24)")
            .Validate(o => o.ProberSources.TrueForAll(s => SourceGuard.TryParseNetwork(s, out _)),
                "Agent:Sip:ProberSources must be IP addresses or CIDR blocks (e.g. 192.0.2.1)")
            .ValidateOnStart();
        services.AddOptionsSection<SipTimerOptions>(Section + ":Timers", static (section, options) => section.Bind(options))
            .ValidateWith(new SipTimerOptionsValidator()).ValidateOnStart();
        services.AddOptionsSection<SipTransactionOptions>(Section + ":Transactions", static (section, options) => section.Bind(options))
            .ValidateWith(new SipTransactionOptionsValidator()).ValidateOnStart();
        services.AddOptionsSection<SipTransportOptions>(Section + ":Transport", static (section, options) => section.Bind(options))
            .ValidateWith(new SipTransportOptionsValidator()).ValidateOnStart();
        services.AddOptionsSection<RtpPortAllocatorOptions>(Section + ":Rtp", static (section, options) => section.Bind(options))
            .ValidateWith(new RtpPortAllocatorOptionsValidator()).ValidateOnStart();
        services.AddOptionsSection<RtpMediaOptions>(Section + ":Rtp", static (section, options) => section.Bind(options));

        services.AddOptionsSection<RegistrationOptions>(Section + ":Register", static (section, options) => section.Bind(options))
            .ValidateWith(new RegistrationOptionsValidator())
            .Validate(o => !o.IsEnabled || SipListenAddress.TryParse(o.Registrar, out _), "Agent:Sip:Register:Registrar must look like udp:192.0.2.1:5060")
            .Validate(o => !o.IsEnabled || !string.IsNullOrWhiteSpace(o.User), "Agent:Sip:Register:User is required when a registrar is set")
            .ValidateOnStart();

        services.AddAgentStatus();
        services.AddSingleton<SipTransportLayer>();
        services.AddSingleton<ISipMessageSender>(sp => sp.GetRequiredService<SipTransportLayer>());
        services.AddSingleton(sp => new SipTransactionLayer(
            sp.GetRequiredService<ISipMessageSender>(),
            sp.GetRequiredService<IOptions<SipTimerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SipTransactionLayer>>(),
            sp.GetRequiredService<IOptions<SipTransactionOptions>>().Value));
        services.AddSingleton<RtpPortAllocator>();
        services.AddSingleton(sp => new ProbeAnswerer(
            sp.GetRequiredService<SipTransactionLayer>(),
            sp.GetRequiredService<IOptions<ProbeAnswererOptions>>().Value,
            sp.GetRequiredService<RtpPortAllocator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ProbeAnswerer>>(),
            TrustedMediaSources(
                sp.GetRequiredService<IOptions<RtpMediaOptions>>().Value,
                sp.GetRequiredService<IOptions<SourceGuardOptions>>().Value)));
        services.AddSingleton(sp =>
        {
            var transactions = sp.GetRequiredService<SipTransactionLayer>();
            var guard = new SourceGuard(
                transactions,
                sp.GetRequiredService<ISipMessageSender>(),
                sp.GetRequiredService<IOptions<SourceGuardOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SourceGuard>>());

            // Known probers may use the whole of the transaction layer's budgets; strangers stop short (issue 12 item 2).
            transactions.IsPriority = guard.HasProbers ? guard.IsPriority : null;
            return guard;
        });
        services.AddHostedService<SipAgentService>();
        services.AddSingleton<RegistrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistrationService>());
        return services;
    }

    /// <summary>The networks RTP may come from besides the INVITE's source: AllowedSources, when explicitly allowed.</summary>
    internal static Func<System.Net.IPAddress, bool>? TrustedMediaSources(RtpMediaOptions media, SourceGuardOptions sources)
    {
        if (!media.AllowMediaToAllowedSources || sources.AllowedSources.Count == 0)
        {
            return null;
        }

        var networks = sources.AllowedSources.Select(SourceGuard.ParseNetwork).ToArray();
        return address =>
        {
            var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            return Array.Exists(networks, n => n.Contains(normalized));
        };
    }
}
