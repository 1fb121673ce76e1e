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

    /// <summary>
    /// The controller's watch over changes other processes (the settings site) write to the shared database, so they reach
    /// the edge, the prober and the MQTT state (<see cref="ContractChangeWatcher"/>). Not for the settings site itself.
    /// </summary>
    public static IServiceCollection AddContractChangeWatch(this IServiceCollection services)
    {
        services.AddSingleton<ContractChangeWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ContractChangeWatcher>());
        return services;
    }
}
