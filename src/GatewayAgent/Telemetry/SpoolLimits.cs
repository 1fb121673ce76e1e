namespace GatewayAgent.Telemetry;

/// <summary>Bounds of the event spool: undelivered bytes and age, the batched fsync delay and the segment file size.</summary>
public sealed record SpoolLimits(long MaxBytes, TimeSpan MaxAge, TimeSpan FlushInterval, int SegmentBytes = 256 * 1024)
{
    public static SpoolLimits From(TelemetryOptions options) =>
        new(options.SpoolMaxBytes, options.SpoolMaxAge, options.SpoolFlushInterval);
}
