namespace GatewayAgent.Contracts.Api;

/// <summary>What an operator sets for one contract (the API's create/replace body).</summary>
public sealed record ContractDefinition
{
    public string? ContractNumber { get; init; }

    public IReadOnlyList<string> AdditionalNumbers { get; init; } = [];

    /// <summary>Contracted channels (BF-6): simultaneous calls, also the forwarded-call limit.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>
    /// The number that receives probe calls (FN-2): the contract number or one of the additional numbers (FN-12), never a
    /// forward source (BF-14).
    /// </summary>
    public string? MonitoringNumber { get; init; }

    /// <summary>SIP URI of the site's agent, e.g. sip:0312345678@192.0.2.10:5060 (user part = monitoring number, filled in when omitted).</summary>
    public string? ProbeTarget { get; init; }

    /// <summary>Optional next hop for the probe INVITE: udp:host:port.</summary>
    public string? OutboundProxy { get; init; }

    /// <summary>Per-contract probe interval; null = Controller:Probing:Interval.</summary>
    public TimeSpan? ProbeInterval { get; init; }

    /// <summary>The agent's MQTT site id (username).</summary>
    public string? SiteId { get; init; }

    /// <summary>New MQTT password for the site (write only: stored as a PBKDF2 hash); null keeps the current one.</summary>
    public string? SitePassword { get; init; }

    public IReadOnlyList<DestinationEntry> Destinations { get; init; } = [];

    public NotificationSettings Notification { get; init; } = new();

    /// <summary>Anonymous-caller rejection and the nuisance-caller list (BF-10).</summary>
    public ScreeningSettings Screening { get; init; } = new();
}
