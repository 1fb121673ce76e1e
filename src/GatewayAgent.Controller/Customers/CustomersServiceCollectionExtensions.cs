using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Customers;

public static class CustomersServiceCollectionExtensions
{
    /// <summary>The contract model over the controller's store, and the probe targets read from it.</summary>
    public static IServiceCollection AddContracts(this IServiceCollection services)
    {
        services.AddSingleton<ContractStore>();
        services.AddSingleton<IProbeTargetSource, ContractProbeTargets>();
        return services;
    }
}
