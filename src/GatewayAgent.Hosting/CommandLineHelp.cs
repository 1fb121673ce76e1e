namespace GatewayAgent.Hosting;

/// <summary>"--help" and "-h": every host and every verb prints its usage and exits 0, starting nothing.</summary>
public static class CommandLineHelp
{
    public const int ExitCode = 0;

    public static bool IsRequested(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h");

    /// <summary>Prints <paramref name="usage"/> to <paramref name="output"/> and returns <see cref="ExitCode"/>.</summary>
    public static int Print(string usage, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(usage.TrimEnd());
        output.Flush();
        return ExitCode;
    }
}
