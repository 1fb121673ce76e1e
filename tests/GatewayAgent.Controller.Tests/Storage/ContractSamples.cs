namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>Valid contract definitions for the tests to start from.</summary>
public static class ContractSamples
{
    /// <summary>Contract 0312345678 with two additional numbers, monitoring the second, service on, three recipients (one unchecked).</summary>
    public static ContractDefinition Monitored(string prefix = "03123", bool autoStart = false, bool autoStop = false, bool destinations = true) => new()
    {
        ContractNumber = $"{prefix}45678",
        AdditionalNumbers = [$"{prefix}45679", $"{prefix}45670"],
        Channels = 4,
        MonitoringNumber = $"{prefix}45670",
        ProbeTarget = "sip:192.0.2.10:5060",
        SiteId = $"site-{prefix}",
        SitePassword = "site-password-1",
        Destinations = destinations ? [new DestinationEntry($"{prefix}45678", "090-1234-5678"), new DestinationEntry($"{prefix}45679", "0667891234")] : [],
        Notification = new NotificationSettings
        {
            HolderName = "株式会社テスト",
            SiteInformation = "本社ビル3F",
            Recipients =
            [
                new RecipientEntry("ops@example.jp", true),
                new RecipientEntry("boss@example.jp", true),
                new RecipientEntry("muted@example.jp", false),
            ],
            AutoStart = autoStart,
            AutoStop = autoStop,
            ServiceOn = true,
        },
    };
}
