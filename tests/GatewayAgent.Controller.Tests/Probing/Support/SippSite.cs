using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>
/// The real sipp (Debian sip-tester) as a site: a UAS on a loopback UDP port running a scenario (the built-in
/// "uas", or an XML file from Probing/Scenarios) for a given number of calls, with its verdict read at the end
/// (process handling: GatewayAgent.Testing's SippProcess).
/// </summary>
internal sealed class SippSite : IAsyncDisposable
{
    private readonly SippProcess _sipp;

    private SippSite(SippProcess sipp, int port)
    {
        _sipp = sipp;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static bool IsInstalled => SippProcess.IsInstalled;

    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "Probing", "Scenarios", name);

    /// <summary>Starts sipp as a UAS; returns once its UDP port is bound. <paramref name="scenario"/> is "uas" or an XML file name.</summary>
    public static async Task<SippSite> StartAsync(string scenario, int calls, params string[] extra)
    {
        var port = FreePort.Next();
        var sipp = SippProcess.Start([scenario == "uas" ? "-sn" : "-sf", scenario == "uas" ? "uas" : ScenarioPath(scenario),
            "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-m", calls.ToString(CultureInfo.InvariantCulture), .. extra]);
        var site = new SippSite(sipp, port);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!IsBound(port))
        {
            if (sipp.HasExited)
            {
                throw new InvalidOperationException("sipp exited at start: " + await sipp.OutputAfterExitAsync());
            }

            await Task.Delay(20, bound.Token); // waits for sipp's socket, not for a timer of the code under test
        }

        return site;
    }

    /// <summary>Waits for sipp to finish its calls (-m) and returns its verdict.</summary>
    public Task<SippResult> WaitAsync(TimeSpan timeout) => _sipp.WaitAsync(timeout);

    /// <summary>SIGUSR1: sipp takes no new calls, lets the running ones end, prints its statistics and exits.</summary>
    public Task<SippResult> StopGracefullyAsync(TimeSpan timeout) => _sipp.StopGracefullyAsync(timeout);

    public ValueTask DisposeAsync() => _sipp.DisposeAsync();

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
}
