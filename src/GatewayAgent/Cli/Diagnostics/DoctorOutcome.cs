namespace GatewayAgent.Cli.Diagnostics;

/// <summary>How one doctor check ended. Only <see cref="Fail"/> makes "gateway-agent doctor" exit non-zero.</summary>
public enum DoctorOutcome
{
    Pass,
    Warn,
    Fail,
}
