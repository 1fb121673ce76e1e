namespace GatewayAgent.Controller.Detection;

/// <summary>Why a transition happened, as stored with the detector event and named in the mail.</summary>
public static class FailureCauses
{
    /// <summary>The site's agent reported a power loss shortly before (dying gasp).</summary>
    public const string PowerLost = "power.lost";

    /// <summary>The site's agent went offline (MQTT will) or reported its WAN down.</summary>
    public const string Offline = "offline";

    /// <summary>Probes went unanswered and telemetry has nothing recent to explain it.</summary>
    public const string NoAnswer = "no-answer";

    /// <summary>Recovery: probes reach the site again.</summary>
    public const string Reached = "reached";
}
