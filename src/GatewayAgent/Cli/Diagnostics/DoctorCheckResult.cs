namespace GatewayAgent.Cli.Diagnostics;

/// <summary>One row of the doctor's table: the check, its outcome and what the technician should know.</summary>
public sealed record DoctorCheckResult(string Check, DoctorOutcome Outcome, string Detail)
{
    public static DoctorCheckResult Pass(string check, string detail) => new(check, DoctorOutcome.Pass, detail);

    public static DoctorCheckResult Warn(string check, string detail) => new(check, DoctorOutcome.Warn, detail);

    public static DoctorCheckResult Fail(string check, string detail) => new(check, DoctorOutcome.Fail, detail);
}
