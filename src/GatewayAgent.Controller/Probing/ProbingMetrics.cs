using System.Diagnostics.Metrics;

namespace GatewayAgent.Controller.Probing;

/// <summary>
/// Probe counters on the Meter "GatewayAgent.Controller.Probing" (bridged to /metrics by the host), with running
/// totals readable in-process for tests and benchmarks.
/// </summary>
public sealed class ProbingMetrics
{
    public const string MeterName = "GatewayAgent.Controller.Probing";

    private readonly Counter<long> _placed;
    private readonly Counter<long> _outcomes;
    private readonly Counter<long> _canaryPlaced;
    private readonly Counter<long> _canaryMissed;
    private readonly Histogram<double> _setupTime;
    private readonly Counter<long> _recordFailures;
    private long _recordFailuresTotal;
    private long _placedTotal;
    private long _reachedTotal;
    private long _missedTotal;
    private long _degradedTotal;
    private long _canaryPlacedTotal;
    private long _canaryMissedTotal;
    private long _inFlight;
    private int _contracts;

    public ProbingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _placed = meter.CreateCounter<long>("gateway.probing.probes.placed", "{probe}", "Contract probe calls placed (the canary not included)");
        _outcomes = meter.CreateCounter<long>("gateway.probing.probes.recorded", "{probe}", "Contract probes recorded, by outcome (reached, missed, prober_degraded)");
        _canaryPlaced = meter.CreateCounter<long>("gateway.probing.canary.placed", "{probe}", "Canary calls placed (the prober's self-check), by check: round (a round's canary) or miss (a post-miss check only)");
        _canaryMissed = meter.CreateCounter<long>("gateway.probing.canary.missed", "{probe}", "Canary calls that missed (the prober's own trouble), by check: round or miss");
        _recordFailures = meter.CreateCounter<long>("gateway.probing.record_failures", "{write}", "Failed attempts to store a probe outcome (each is retried until stored)");
        _setupTime = meter.CreateHistogram<double>("gateway.probing.setup_time", "ms", "INVITE to the first 180/183/2xx of reached probes");
        meter.CreateObservableGauge("gateway.probing.in_flight", () => Interlocked.Read(ref _inFlight), "{probe}", "Probe calls dialling now");
        meter.CreateObservableGauge("gateway.probing.contracts", () => Volatile.Read(ref _contracts), "{contract}", "Contracts being probed");
    }

    public long PlacedTotal => Interlocked.Read(ref _placedTotal);

    public long ReachedTotal => Interlocked.Read(ref _reachedTotal);

    public long MissedTotal => Interlocked.Read(ref _missedTotal);

    public long DegradedTotal => Interlocked.Read(ref _degradedTotal);

    public long CanaryPlacedTotal => Interlocked.Read(ref _canaryPlacedTotal);

    public long CanaryMissedTotal => Interlocked.Read(ref _canaryMissedTotal);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public int Contracts => Volatile.Read(ref _contracts);

    internal void OnPlaced()
    {
        Interlocked.Increment(ref _placedTotal);
        Interlocked.Increment(ref _inFlight);
        _placed.Add(1);
    }

    internal void OnDialled() => Interlocked.Decrement(ref _inFlight);

    internal void OnRecorded(ProbeOutcome outcome, TimeSpan? setupTime)
    {
        switch (outcome)
        {
            case ProbeOutcome.Reached:
                Interlocked.Increment(ref _reachedTotal);
                _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", "reached"));
                if (setupTime is { } setup)
                {
                    _setupTime.Record(setup.TotalMilliseconds);
                }

                break;
            case ProbeOutcome.Missed:
                Interlocked.Increment(ref _missedTotal);
                _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", "missed"));
                break;
            default:
                Interlocked.Increment(ref _degradedTotal);
                _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", "prober_degraded"));
                break;
        }
    }

    /// <summary>Failed attempts to store a probe outcome since the start.</summary>
    public long RecordFailuresTotal => Interlocked.Read(ref _recordFailuresTotal);

    internal void OnRecordFailed()
    {
        Interlocked.Increment(ref _recordFailuresTotal);
        _recordFailures.Add(1);
    }

    internal void OnCanaryPlaced(string check)
    {
        Interlocked.Increment(ref _canaryPlacedTotal);
        _canaryPlaced.Add(1, new KeyValuePair<string, object?>("check", check));
    }

    internal void OnCanaryMissed(string check)
    {
        Interlocked.Increment(ref _canaryMissedTotal);
        _canaryMissed.Add(1, new KeyValuePair<string, object?>("check", check));
    }

    internal void SetContracts(int count) => Volatile.Write(ref _contracts, count);
}
