namespace GatewayAgent.Testing;

/// <summary>A finished command-line run (<see cref="Tool"/>): exit code, stdout and stderr apart.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
