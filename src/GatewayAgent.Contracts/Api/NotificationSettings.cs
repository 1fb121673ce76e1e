namespace GatewayAgent.Contracts.Api;

/// <summary>Failure/recovery notification settings (FN-6, FN-7, FN-8, FN-10, FN-14).</summary>
public sealed record NotificationSettings
{
    /// <summary>Contract holder name printed in the mail; at most 20 full-width characters (FN-10).</summary>
    public string? HolderName { get; init; }

    /// <summary>Site information printed in the mail; at most 32 full-width characters (FN-10).</summary>
    public string? SiteInformation { get; init; }

    /// <summary>Up to 20 addresses (FN-8), each valid by FN-9.</summary>
    public IReadOnlyList<RecipientEntry> Recipients { get; init; } = [];

    /// <summary>Start bulk forwarding when a failure is detected (FN-6).</summary>
    public bool AutoStart { get; init; }

    /// <summary>Stop bulk forwarding when recovery is detected (FN-7).</summary>
    public bool AutoStop { get; init; }

    /// <summary>The notification service itself (probing and mails), FN-14.</summary>
    public bool ServiceOn { get; init; }
}
