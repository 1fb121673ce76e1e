namespace GatewayAgent.Controller.Storage;

/// <summary>Storage log messages, event ids 6000-6049.</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Information, "Applied schema migration {Version} ({Name}) on {Provider}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, StorageProvider provider);

    [LoggerMessage(6001, LogLevel.Information, "Schema at version {Version} on {Provider} ({Applied} migrations applied now)")]
    public static partial void SchemaReady(ILogger logger, int version, int applied, StorageProvider provider);

    [LoggerMessage(6002, LogLevel.Information, "Storage: {Provider} {Location}")]
    public static partial void StorageOpened(ILogger logger, StorageProvider provider, string location);

    [LoggerMessage(6003, LogLevel.Warning, "Site {SiteId}: MQTT authentication refused")]
    public static partial void SiteAuthenticationRefused(ILogger logger, string siteId);

    [LoggerMessage(6004, LogLevel.Debug, "Site {SiteId}: duplicate event {EventId} ignored")]
    public static partial void DuplicateSiteEvent(ILogger logger, string siteId, string eventId);

    [LoggerMessage(6045, LogLevel.Information, "Purged {Count} site events older than {Retention} (Controller:Ingest:EventRetention)")]
    public static partial void SiteEventsPurged(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(6046, LogLevel.Warning, "Purging old site events failed; trying again at the next interval")]
    public static partial void SiteEventPurgeFailed(ILogger logger, Exception exception);
}
