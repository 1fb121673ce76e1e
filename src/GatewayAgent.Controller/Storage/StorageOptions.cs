using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Storage;

/// <summary>Section "Controller:Storage"; the PostgreSQL connection string comes from ConnectionStrings:Controller.</summary>
public sealed class StorageOptions
{
    public const string Section = "Controller:Storage";

    /// <summary>sqlite (default: a file in Controller:DataDirectory) or postgres (ConnectionStrings:Controller).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite file name inside the data directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Controller:Storage:SqliteFile must not be empty")]
    public string SqliteFile { get; set; } = "controller.db";

    /// <summary>How long a SQLite statement waits for a lock held by another connection (PRAGMA busy_timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Controller:Storage:BusyTimeout must be between 00:00:00.100 and 00:05:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// /healthz reports unhealthy when a database write has waited this long with no commit since it started (issue 12
    /// item 9; <see cref="WriteHealth"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Controller:Storage:MaxCommitAge must be between 00:00:01 and 01:00:00")]
    public TimeSpan MaxCommitAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Filled from ConnectionStrings:Controller; required for postgres.</summary>
    public string? ConnectionString { get; set; }
}
