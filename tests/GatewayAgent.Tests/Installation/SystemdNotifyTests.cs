using System.Net.Sockets;
using System.Text;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Installation;

/// <summary>
/// The real agent speaks sd_notify the way systemd hears it: a Unix datagram socket named by NOTIFY_SOCKET, READY=1
/// once SIP listens, then WATCHDOG=1 every WATCHDOG_USEC/2 (the unit's WatchdogSec).
/// </summary>
[Trait("Ring", "integration")]
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task Agent_SendsReady_ThenPeriodicWatchdogPings()
    {
        var dir = Directory.CreateTempSubdirectory("notify-");
        var path = Path.Combine(dir.FullName, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        var port = FreePort.Next();
        var info = AgentProcess.DotnetAgent($"--Agent:Sip:Listen:0=udp:127.0.0.1:{port}", $"--Agent:Sip:MonitorNumbers:0={AgentProcess.MonitorNumber}");
        info.Environment["NOTIFY_SOCKET"] = path;
        info.Environment["WATCHDOG_USEC"] = "1000000"; // WatchdogSec=1s: a ping every 500 ms

        await using var agent = await AgentProcess.LaunchAsync(info, TimeSpan.FromSeconds(30));

        var messages = new List<(string Text, TimeSpan At)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        while (messages.Count(m => m.Text == "WATCHDOG=1") < 4)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            messages.Add((Encoding.UTF8.GetString(buffer, 0, n), clock.Elapsed));
        }

        Assert.Equal("READY=1", messages[0].Text);
        var pings = messages.Where(m => m.Text == "WATCHDOG=1").Select(m => m.At).ToList();
        Assert.True(messages.FindIndex(m => m.Text == "WATCHDOG=1") > 0, "a ping came before READY=1");
        // Periodic, not a burst: four pings take at least two more intervals (the first may follow READY at once).
        Assert.True(pings[^1] - pings[0] >= TimeSpan.FromMilliseconds(1000), string.Join(", ", messages.Select(m => $"{m.Text}@{m.At.TotalMilliseconds:F0}")));
        Assert.Contains("systemd watchdog: timeout 1.0 s", agent.Output);
    }
}
