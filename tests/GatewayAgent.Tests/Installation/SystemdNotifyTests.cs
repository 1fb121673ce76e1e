using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Installation;

/// <summary>
/// The real agent speaks sd_notify the way systemd hears it: a Unix datagram socket named by NOTIFY_SOCKET, READY=1
/// once SIP listens, then WATCHDOG=1 every WATCHDOG_USEC/2 (the unit's WatchdogSec), never in a burst.
/// </summary>
[Trait("Ring", "integration")]
public sealed class SystemdNotifyTests
{
    /// <summary>WatchdogSec=2s: a ping every second.</summary>
    private static readonly TimeSpan WatchdogSec = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Agent_SendsReady_ThenPeriodicWatchdogPings()
    {
        var dir = Directory.CreateTempSubdirectory("notify-");
        var path = Path.Combine(dir.FullName, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        // Each datagram is timestamped as it arrives, by a thread of its own that reads from before the agent starts:
        // a busy test host (thread pool, stdout) cannot make pings that left a second apart look like a burst, as it
        // did when the socket was only read once the agent's "ready" log line had come through (issue 9).
        var received = Channel.CreateUnbounded<(string Text, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        var reader = new Thread(() =>
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var n = socket.Receive(buffer);
                    received.Writer.TryWrite((Encoding.UTF8.GetString(buffer, 0, n), clock.Elapsed));
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                received.Writer.TryComplete(); // the socket was closed: the test is over
            }
        })
        { IsBackground = true, Name = "notify-socket" };
        reader.Start();

        var port = FreePort.Next();
        var info = AgentProcess.DotnetAgent($"--Agent:Sip:Listen:0=udp:127.0.0.1:{port}", $"--Agent:Sip:MonitorNumbers:0={AgentProcess.MonitorNumber}");
        info.Environment["NOTIFY_SOCKET"] = path;
        info.Environment["WATCHDOG_USEC"] = ((long)WatchdogSec.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var interval = WatchdogSec / 2;

        await using var agent = await AgentProcess.LaunchAsync(info, TimeSpan.FromSeconds(30));

        var messages = new List<(string Text, TimeSpan At)>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (messages.Count(m => m.Text == "WATCHDOG=1") < 5)
        {
            messages.Add(await received.Reader.ReadAsync(deadline.Token));
        }

        var trace = string.Join(", ", messages.Select(m => $"{m.Text}@{m.At.TotalMilliseconds:F0}"));
        Assert.True(messages[0].Text == "READY=1", $"READY=1 first: {trace}");
        var pings = messages.Where(m => m.Text == "WATCHDOG=1").Select(m => m.At).ToList();
        for (var i = 1; i < pings.Count; i++)
        {
            // The cadence: never a burst (at least the interval apart, less half an interval for the reader's own
            // scheduling), and never so late that systemd would kill the agent (WatchdogSec).
            var gap = pings[i] - pings[i - 1];
            Assert.True(gap >= interval / 2 && gap < WatchdogSec, $"ping {i} came {gap.TotalMilliseconds:F0} ms after the one before (interval {interval.TotalMilliseconds:F0} ms): {trace}");
        }

        Assert.Contains("systemd watchdog: timeout 2.0 s", agent.Output);
        socket.Close();
        reader.Join(TimeSpan.FromSeconds(5));
    }
}
