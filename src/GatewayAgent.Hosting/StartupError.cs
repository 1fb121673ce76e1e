namespace GatewayAgent.Hosting;

/// <summary>Why a host could not start, as the operator reads it: an exit code and one line per problem.</summary>
public sealed record StartupError(int ExitCode, IReadOnlyList<string> Lines)
{
    /// <summary>A configuration value (option, flag) is invalid: fix the named key and start again.</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>The host cannot start with a valid configuration: an address in use, hardware missing.</summary>
    public const int CannotStartExitCode = 1;

    public static StartupError InvalidConfiguration(params IReadOnlyList<string> lines) =>
        new(InvalidConfigurationExitCode, [.. lines.Select(l => "invalid configuration: " + l)]);

    public static StartupError CannotStart(string line) => new(CannotStartExitCode, ["cannot start: " + line]);

    /// <summary>Writes each line as "program: line" to <paramref name="error"/> and returns the exit code.</summary>
    public int Report(string program, TextWriter error)
    {
        foreach (var line in Lines)
        {
            error.WriteLine($"{program}: {line}");
        }

        error.Flush();
        return ExitCode;
    }
}
