using System.Net;
using System.Net.Sockets;
using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests;

/// <summary>
/// A lab of real processes (controller, the edge's kamailio, agents on simulated boards; the destination phone in the
/// test process) on free loopback ports, with fast probing.
/// </summary>
internal static class LabHarness
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan FastInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    public static async Task<LabRunner> StartAsync(string dataDirectory, int sites, int smtpRelayPort, TextWriter? output = null)
    {
        var options = new LabOptions
        {
            Sites = sites,
            DataDirectory = dataDirectory,
            Fresh = true,
            Plain = true,
            HttpPort = FreePort.Next(),
            PortalPort = FreePort.Next(),
            MqttPort = FreePort.Next(),
            SmtpPort = FreePort.Next(),
            SipBasePort = FreeRange(sites + 1),
            EdgePort = FreePort.Next(),
            EdgeRpcPort = FreePort.Next(),
            DestinationPort = FreePort.Next(),
            IvrPort = FreePort.Next(),
            ProbeInterval = Interval,
            FastInterval = FastInterval,
            ProbeTimeout = Timeout,
            Configuration = Configuration,
            ControllerArguments =
            [
                "--Controller:Mail:Smtp:Host=127.0.0.1",
                $"--Controller:Mail:Smtp:Port={smtpRelayPort}",
                "--Controller:Mail:Smtp:Security=none",
                "--Controller:Mail:Smtp:From=gateway-controller@example.jp",
                "--Controller:Mail:InitialRetryDelay=00:00:01",
                "--Controller:Mail:MaxRetryDelay=00:00:02",
            ],
        };
        var lab = new LabRunner(options, output ?? TextWriter.Null);
        try
        {
            await lab.StartAsync(CancellationToken.None);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    /// <summary>Release or Debug: the configuration these tests were built in (the executables are built alongside).</summary>
    internal static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary>A first port such that it and the next <paramref name="count"/> - 1 are free for UDP and TCP now.</summary>
    internal static int FreeRange(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = Random.Shared.Next(20000, 30000);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException("no free port range on loopback");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var tcp = new TcpListener(IPAddress.Loopback, port);
            tcp.Start();
            tcp.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Re-reads <paramref name="read"/> (another process's state: it cannot signal) until <paramref name="condition"/> holds or <paramref name="within"/> passes.</summary>
    public static Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan within, string what) =>
        Wait.PollAsync(read, condition, within, what);
}
