namespace GatewayAgent.LocalControl;

/// <summary>"Agent:LocalControl": the Unix socket "gateway-agent status" and "gateway-agent sim" talk to.</summary>
public sealed class LocalControlOptions
{
    public const string SectionName = "Agent:LocalControl";

    /// <summary>Socket path; empty = /run/gateway-agent/control.sock, or a per-user fallback when /run is not writable.</summary>
    public string? Socket { get; set; }

    /// <summary>Off = no socket (status and sim verbs cannot reach the agent).</summary>
    public bool Enabled { get; set; } = true;
}
