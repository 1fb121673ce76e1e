using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Hosting;

public static class OptionsSectionServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and records the section in the services
    /// (<see cref="OptionsSection"/>), so <see cref="StartupErrors"/> names "Section:Member" when a value is invalid.
    /// Chain ValidateDataAnnotations() and ValidateOnStart() as usual.
    /// </summary>
    public static OptionsBuilder<TOptions> AddOptionsSection<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton(new OptionsSection(typeof(TOptions), section));
        return services.AddOptions<TOptions>().BindConfiguration(section);
    }
}
