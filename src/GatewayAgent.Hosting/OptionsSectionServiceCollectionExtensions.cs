using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Hosting;

public static class OptionsSectionServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> through the reflection binder and records the
    /// section in the services (<see cref="OptionsSection"/>), so <see cref="StartupErrors"/> names "Section:Member"
    /// when a value is invalid. Chain ValidateDataAnnotations() and ValidateOnStart() as usual. Hosts that are trimmed
    /// or compiled ahead of time use the overload that takes a <c>bind</c> delegate instead.
    /// </summary>
    [RequiresUnreferencedCode("Binds and validates TOptions by reflection; use the overload that takes a bind delegate.")]
    [RequiresDynamicCode("Binds TOptions by reflection; use the overload that takes a bind delegate.")]
    public static OptionsBuilder<TOptions> AddOptionsSection<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton(new OptionsSection(typeof(TOptions), section));
        return services.AddOptions<TOptions>().BindConfiguration(section);
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> with <paramref name="bind"/>, written at the
    /// call site as <c>static (section, options) =&gt; section.Bind(options)</c>, where the configuration binder's source
    /// generator sees the concrete type and replaces the reflection binder (it cannot inside this generic method). Like
    /// BindConfiguration, it rebinds when the configuration reloads, and records the section for
    /// <see cref="StartupErrors"/>. Validate with a source-generated validator (<see cref="ValidateWith"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> AddOptionsSection<TOptions>(
        this IServiceCollection services, string section, Action<IConfiguration, TOptions> bind)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(bind);
        services.AddSingleton(new OptionsSection(typeof(TOptions), section));
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(sp =>
            new ConfigurationChangeTokenSource<TOptions>(Options.DefaultName, sp.GetRequiredService<IConfiguration>()));
        return services.AddOptions<TOptions>().Configure<IConfiguration>((options, configuration) =>
            bind(string.IsNullOrEmpty(section) ? configuration : configuration.GetSection(section), options));
    }

    /// <summary>Adds <paramref name="validator"/> (an <c>[OptionsValidator]</c> class, or any other) to the options' validators.</summary>
    public static OptionsBuilder<TOptions> ValidateWith<TOptions>(this OptionsBuilder<TOptions> builder, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(validator);
        return builder;
    }
}
