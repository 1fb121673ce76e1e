namespace GatewayAgent.Controller.Forwarding;

public static class ForwardingServiceCollectionExtensions
{
    /// <summary>The bulk-forward switch and the retained contract-state publication.</summary>
    public static IServiceCollection AddForwarding(this IServiceCollection services)
    {
        services.AddSingleton<ContractStateNotifier>();
        services.AddSingleton<ForwardingSwitch>();
        return services;
    }
}
