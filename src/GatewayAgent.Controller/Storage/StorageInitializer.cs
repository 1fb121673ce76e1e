namespace GatewayAgent.Controller.Storage;

/// <summary>Brings the schema up to date before any other hosted service starts (IHostedLifecycleService.StartingAsync).</summary>
public sealed class StorageInitializer(SchemaMigrator migrator, ControllerDatabase database, ILogger<StorageInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var location = database.Dialect is SqliteDialect sqlite ? sqlite.Path : "ConnectionStrings:Controller";
        Log.StorageOpened(logger, database.Dialect.Provider, location);
        await migrator.MigrateAsync(SchemaMigrations.All, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
