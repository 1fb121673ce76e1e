using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>
/// The real sipp (Debian sip-tester) as a site: a UAS on a loopback UDP port running a scenario (the built-in
/// "uas", or an XML file from Probing/Scenarios) for a given number of calls, with its verdict read at the end.
/// </summary>
internal sealed partial class SippSite : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly DirectoryInfo _directory;

    private SippSite(Process process, DirectoryInfo directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static bool IsInstalled => File.Exists("/usr/bin/sipp") || File.Exists("/usr/local/bin/sipp");

    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "Probing", "Scenarios", name);

    /// <summary>Starts sipp as a UAS; returns once its UDP port is bound. <paramref name="scenario"/> is "uas" or an XML file name.</summary>
    public static async Task<SippSite> StartAsync(string scenario, int calls, params string[] extra)
    {
        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("sipp-site-");
        var info = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir.FullName,
        };
        foreach (var a in (string[])[scenario == "uas" ? "-sn" : "-sf", scenario == "uas" ? "uas" : ScenarioPath(scenario),
                     "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-mp", FreePort.Next().ToString(CultureInfo.InvariantCulture),
                     "-m", calls.ToString(CultureInfo.InvariantCulture), "-trace_err", "-nostdin", .. extra])
        {
            info.ArgumentList.Add(a);
        }

        var site = new SippSite(Process.Start(info)!, dir, port);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!IsBound(port))
        {
            if (site._process.HasExited)
            {
                throw new InvalidOperationException("sipp exited at start: " + await site._stdout + await site._stderr);
            }

            await Task.Delay(20, bound.Token); // waits for sipp's socket, not for a timer of the code under test
        }

        return site;
    }

    /// <summary>Waits for sipp to finish its calls (-m) and returns its verdict.</summary>
    public async Task<SippVerdict> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        var output = await _stdout + await _stderr;
        var errors = string.Join('\n', _directory.GetFiles("*_errors.log").Select(f => File.ReadAllText(f.FullName)));
        return new SippVerdict(_process.ExitCode, Count(output, "Successful call"), Count(output, "Failed call"), output, errors);
    }

    /// <summary>SIGUSR1: sipp takes no new calls, lets the running ones end, prints its statistics and exits.</summary>
    public async Task<SippVerdict> StopGracefullyAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-USR1", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static bool IsBound(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    // The final statistics screen: "  Successful call        |        0                  |        5     ".
    private static int Count(string output, string label)
    {
        var matches = Regex.Matches(output, Regex.Escape(label) + @"\s*\|\s*\d+\s*\|\s*(\d+)");
        return matches.Count == 0 ? -1 : int.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
