namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>What sipp reported: exit code (0 = every call succeeded), successful and failed call counts, its output.</summary>
internal sealed record SippVerdict(int ExitCode, int Successful, int Failed, string Output, string ErrorLog)
{
    public override string ToString() => $"exit {ExitCode}, {Successful} ok, {Failed} failed\n{ErrorLog}\n{Output[Math.Max(0, Output.Length - 3000)..]}";
}
