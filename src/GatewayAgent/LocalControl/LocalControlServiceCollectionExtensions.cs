using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.LocalControl;

public static class LocalControlServiceCollectionExtensions
{
    /// <summary>The local Unix socket that "gateway-agent status" and "gateway-agent sim" talk to.</summary>
    public static IServiceCollection AddLocalControl(this IServiceCollection services) => services;
}
