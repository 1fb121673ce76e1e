using GatewayAgent.Controller.Hosting;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GatewayAgent.Controller.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>SQLite in Controller:DataDirectory by default, PostgreSQL with Controller:Storage:Provider=postgres; migrations at start.</summary>
    public static IServiceCollection AddControllerStorage(this IServiceCollection services)
    {
        services.AddOptionsSection<ControllerOptions>(ControllerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptionsSection<StorageOptions>(StorageOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.ConnectionString ??= configuration.GetConnectionString("Controller"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddSingleton<SqlDialect>(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (storage.Provider == StorageProvider.Postgres)
            {
                return new PostgresDialect(NpgsqlDataSource.Create(storage.ConnectionString!));
            }

            var controller = provider.GetRequiredService<IOptions<ControllerOptions>>().Value;
            return new SqliteDialect(Path.GetFullPath(Path.Combine(controller.DataDirectory, storage.SqliteFile)), storage.BusyTimeout);
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<WriteHealth>();
        services.AddSingleton<ControllerDatabase>();
        services.AddSingleton<SchemaMigrator>();
        services.AddHostedService<StorageInitializer>();

        services.AddSingleton<OutboxStore>();
        services.AddSingleton<IOutboxStore>(provider => provider.GetRequiredService<OutboxStore>());
        services.AddSingleton<ISiteDirectory, SiteDirectory>();
        services.AddSingleton<ISiteEventLog, SiteEventLog>();
        services.AddSingleton<ISiteLiveStatusStore, SiteLiveStatusStore>();
        // The retention keys live with the ingest's (Controller:Ingest); bound here too for a store without the ingest.
        services.AddOptions<TelemetryIngestOptions>().BindConfiguration(TelemetryIngestOptions.Section);
        services.AddSingleton<SiteEventRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<SiteEventRetention>());
        return services;
    }
}
