namespace GatewayAgent.Contracts.Api;

/// <summary>GET /api/contracts/{id}/status: detector, switch and what telemetry says.</summary>
public sealed record ContractStatus(
    long ContractId,
    string ContractNumber,
    bool ServiceOn,
    DetectorView Detector,
    ForwardingView Forwarding,
    string? SiteId,
    SiteLiveStatus? Live);
