using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Counts every ACL violation and logs at most one per site per Controller:Ingest:AclLogInterval.</summary>
internal sealed class AclViolationReporter(
    IngestMetrics metrics,
    IOptions<TelemetryIngestOptions> options,
    TimeProvider timeProvider,
    ILogger<AclViolationReporter> logger)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public void Report(string siteId, string action, string topic)
    {
        metrics.AclViolation(action);
        var now = timeProvider.GetUtcNow();
        var window = _windows.GetOrAdd(siteId, static _ => new Window());
        long suppressed;
        lock (window)
        {
            if (window.LastLogged is DateTimeOffset last && now - last < options.Value.AclLogInterval)
            {
                window.Suppressed++;
                return;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LastLogged = now;
        }

        IngestLog.AclViolation(logger, siteId, action, topic, suppressed);
    }

    private sealed class Window
    {
        public DateTimeOffset? LastLogged { get; set; }

        public long Suppressed { get; set; }
    }
}
