using Prometheus;

namespace GatewayAgent.Controller.Metrics;

/// <summary>
/// The controller's Prometheus metrics on their own registry (no process-wide static registry), served at /metrics.
/// One singleton: the prober, the detector, the dispatcher and ingest each increment what they see.
/// </summary>
public sealed class ControllerMetrics : IDisposable
{
    private readonly IDisposable _meterAdapter;
    private readonly Counter _probes;
    private readonly Counter _detectorTransitions;
    private readonly Counter _forwardingChanges;
    private readonly Gauge _detectorContracts;
    private readonly Gauge _forwardingContracts;
    private readonly Gauge _outboxPending;
    private readonly Counter _writeFailures;
    private readonly Gauge _lastCommitAge;

    public ControllerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // The probing, notification and ingest parts count with System.Diagnostics.Metrics (Meters named
        // GatewayAgent.Controller.*); the adapter exports them on the same registry (gateway_probing_*, notification_*, gateway_ingest_*).
        _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            InstrumentFilterPredicate = instrument => instrument.Meter.Name.StartsWith("GatewayAgent.Controller", StringComparison.Ordinal),
        });
        _probes = factory.CreateCounter("gateway_controller_probes_total", "Probe outcomes recorded by the detector.", "outcome");
        _detectorTransitions = factory.CreateCounter("gateway_controller_detector_transitions_total", "Detector transitions (FN-4 failure, FN-5 recovery).", "to");
        _forwardingChanges = factory.CreateCounter("gateway_controller_forwarding_changes_total", "Bulk-forward switch changes.", "state", "reason");
        _detectorContracts = factory.CreateGauge("gateway_controller_contracts_detector", "Contracts with the service on, by detector state.", "state");
        _forwardingContracts = factory.CreateGauge("gateway_controller_contracts_forwarding", "Contracts by bulk-forward switch state.", "state");
        _outboxPending = factory.CreateGauge("gateway_controller_outbox_pending", "Mails waiting in the outbox.");
        _writeFailures = factory.CreateCounter("gateway_controller_write_failures_total",
            "Failed writes (issue 12 item 9): database = every write that failed with a database error; ingest = agent messages not stored (not acknowledged, sent again); probe_record = failed attempts to store a probe outcome (retried).",
            "area");
        _lastCommitAge = factory.CreateGauge("gateway_controller_last_commit_age_seconds", "Seconds since the last database commit (-1: none since the start).");
        foreach (var area in (string[])["database", "ingest", "probe_record"])
        {
            _writeFailures.WithLabels(area);
        }

        foreach (var outcome in Enum.GetValues<ProbeOutcome>())
        {
            _probes.WithLabels(OutcomeLabel(outcome));
        }
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _meterAdapter.Dispose();

    /// <summary>Counted by the detector's outcome sink (the prober need not count outcomes again).</summary>
    public void ProbeRecorded(ProbeOutcome outcome) => _probes.WithLabels(OutcomeLabel(outcome)).Inc();

    public void DetectorTransition(string toState) => _detectorTransitions.WithLabels(toState).Inc();

    public void ForwardingChanged(bool on, string reason) => _forwardingChanges.WithLabels(on ? "on" : "off", reason).Inc();

    /// <summary>Sets the gauges read from the store just before each scrape.</summary>
    public void SetStoreGauges(long normal, long failed, long forwardingOn, long forwardingOff, long pendingMails)
    {
        _detectorContracts.WithLabels("normal").Set(normal);
        _detectorContracts.WithLabels("failed").Set(failed);
        _forwardingContracts.WithLabels("on").Set(forwardingOn);
        _forwardingContracts.WithLabels("off").Set(forwardingOff);
        _outboxPending.Set(pendingMails);
    }

    /// <summary>Sets the write-failure totals and the last commit's age just before each scrape.</summary>
    public void SetWriteHealth(long database, long ingest, long probeRecord, TimeSpan? lastCommitAge)
    {
        _writeFailures.WithLabels("database").IncTo(database);
        _writeFailures.WithLabels("ingest").IncTo(ingest);
        _writeFailures.WithLabels("probe_record").IncTo(probeRecord);
        _lastCommitAge.Set(lastCommitAge?.TotalSeconds ?? -1);
    }

    private static string OutcomeLabel(ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.Reached => "reached",
        ProbeOutcome.Missed => "missed",
        _ => "degraded",
    };
}
