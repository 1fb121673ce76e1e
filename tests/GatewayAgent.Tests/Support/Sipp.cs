using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GatewayAgent.Tests.Support;

/// <summary>Runs the real sipp (Debian sip-tester) against a target and reads its verdict.</summary>
public static partial class Sipp
{
    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    public static bool IsInstalled => File.Exists("/usr/bin/sipp") || File.Exists("/usr/local/bin/sipp");

    /// <summary>Runs sipp with the given arguments (plus -p with a free port and trace files in a temp folder).</summary>
    public static async Task<SippResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var dir = Directory.CreateTempSubdirectory("sipp-");
        var info = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir.FullName,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        if (!info.ArgumentList.Contains("-p"))
        {
            info.ArgumentList.Add("-p");
            info.ArgumentList.Add(FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!info.ArgumentList.Contains("-mp"))
        {
            info.ArgumentList.Add("-mp");
            info.ArgumentList.Add(FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        info.ArgumentList.Add("-trace_err");
        info.ArgumentList.Add("-nostdin");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var output = await stdout + await stderr;
        var errors = string.Join('\n', dir.GetFiles("*_errors.log").Select(f => File.ReadAllText(f.FullName)));
        var result = new SippResult(process.ExitCode, Count(output, "Successful call"), Count(output, "Failed call"), output, errors, dir.FullName);
        return result;
    }

    // The final statistics screen: "  Successful call        |        0                  |        5     ".
    private static int Count(string output, string label)
    {
        var matches = Regex.Matches(output, Regex.Escape(label) + @"\s*\|\s*\d+\s*\|\s*(\d+)");
        return matches.Count == 0 ? -1 : int.Parse(matches[^1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>What sipp reported: exit code (0 = every call succeeded), successful and failed call counts, its output.</summary>
public sealed record SippResult(int ExitCode, int Successful, int Failed, string Output, string ErrorLog, string Directory)
{
    public override string ToString() => $"exit {ExitCode}, {Successful} ok, {Failed} failed\n{ErrorLog}\n{Output[Math.Max(0, Output.Length - 3000)..]}";
}
