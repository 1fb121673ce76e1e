using GatewayAgent.Controller.Customers;

namespace GatewayAgent.Controller.Api;

/// <summary>PUT /api/contracts/{id}/numbers: the additional numbers, monitoring number and channels.</summary>
public sealed record NumbersRequest(IReadOnlyList<string>? AdditionalNumbers, string? MonitoringNumber, int? Channels);

/// <summary>PUT /api/contracts/{id}/destinations/{number}.</summary>
public sealed record DestinationRequest(string? Destination);

/// <summary>PUT /api/contracts/{id}/site: the agent's MQTT site id and (write-only) password.</summary>
public sealed record SiteRequest(string? SiteId, string? Password);

/// <summary>PUT /api/contracts/{id}/probe: where and how often probes go.</summary>
public sealed record ProbeRequest(string? ProbeTarget, string? OutboundProxy, TimeSpan? ProbeInterval);

/// <summary>POST /api/contracts/{id}/forwarding/start.</summary>
public sealed record StartForwardingRequest(string? Note);

/// <summary>POST /api/contracts/{id}/forwarding/stop; <see cref="OperatorOverride"/> = BF-11 (needs a note).</summary>
public sealed record StopForwardingRequest(bool OperatorOverride, string? Note);

/// <summary>POST /api/contracts/{id}/test-mail (FN-8).</summary>
public sealed record TestMailRequest(string? Address);

/// <summary>202 answer of the test mail: the outbox row to watch in /mails.</summary>
public sealed record TestMailQueued(long MailId, string Recipient);

/// <summary>GET /api/contracts/{id}/status: detector, switch and what telemetry says.</summary>
public sealed record ContractStatus(
    long ContractId,
    string ContractNumber,
    bool ServiceOn,
    DetectorView Detector,
    ForwardingView Forwarding,
    string? SiteId,
    Ingest.SiteLiveStatus? Live);
