namespace GatewayAgent.Contracts.Api;

/// <summary>A stored contract with its numbers, destinations, notification settings, detector and switch state.</summary>
public sealed record ContractRecord
{
    public required long Id { get; init; }
    public required string ContractNumber { get; init; }
    public required IReadOnlyList<string> AdditionalNumbers { get; init; }
    public required int Channels { get; init; }
    public string? MonitoringNumber { get; init; }
    public string? ProbeTarget { get; init; }
    public string? OutboundProxy { get; init; }
    public TimeSpan? ProbeInterval { get; init; }
    public string? SiteId { get; init; }
    public bool HasSitePassword { get; init; }
    public required IReadOnlyList<DestinationEntry> Destinations { get; init; }
    public required NotificationSettings Notification { get; init; }
    public ScreeningSettings Screening { get; init; } = new();
    public required DetectorView Detector { get; init; }
    public required ForwardingView Forwarding { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// The settings' version: raised by every change of the definition and of the forwarding switch or its hold, so a
    /// form that showed an older version is refused (SS-11).
    /// </summary>
    public long RowVersion { get; init; }

    /// <summary>The editable part, for read-modify-write updates (the site password stays as stored).</summary>
    public ContractDefinition ToDefinition() => new()
    {
        ContractNumber = ContractNumber,
        AdditionalNumbers = AdditionalNumbers,
        Channels = Channels,
        MonitoringNumber = MonitoringNumber,
        ProbeTarget = ProbeTarget,
        OutboundProxy = OutboundProxy,
        ProbeInterval = ProbeInterval,
        SiteId = SiteId,
        Destinations = Destinations,
        Notification = Notification,
        Screening = Screening,
    };
}
