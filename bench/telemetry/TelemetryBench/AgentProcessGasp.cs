using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

/// <summary>
/// The dying gasp end to end: the real gateway-agent process on the simulated board, MQTT to a broker; the harness flips
/// the simulated power-good input through the local control socket (as "gateway-agent sim set power-good=0" does) and
/// times the edge → an MQTT subscriber holding power.lost. The board debounces the input (sim pin map: 50 ms) before it
/// raises the event, stamped with the edge; both figures are printed.
/// </summary>
static class AgentProcessGasp
{
    public static async Task RunAsync(string agentDll, string host, int port, int toggles)
    {
        var work = Directory.CreateTempSubdirectory("telemetry-gasp-").FullName;
        var socketPath = Path.Combine(work, "control.sock");
        var sipPort = FreeUdpPort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            agentDll, "--Agent:Board:Kind=sim", $"--Agent:LocalControl:Socket={socketPath}",
            $"--Agent:Sip:Listen:0=udp:127.0.0.1:{sipPort}", "--Agent:Sip:MonitorNumbers:0=0312345678",
            "--Agent:SiteId=bench-gasp", $"--Agent:Mqtt:Host={host}", $"--Agent:Mqtt:Port={port}",
            $"--Agent:Telemetry:SpoolDirectory={Path.Combine(work, "spool")}", "--Agent:Mqtt:ReconnectMin=00:00:00.100",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:GatewayAgent.Telemetry=Information",
        })
        {
            info.ArgumentList.Add(a);
        }

        using var agent = Process.Start(info)!;
        var birth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.OutputDataReceived += (_, e) => { if (e.Data?.Contains("birth published", StringComparison.Ordinal) == true) { birth.TrySetResult(); } };
        agent.ErrorDataReceived += (_, _) => { };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var expected = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<(long At, DateTimeOffset Received, DateTimeOffset Ts)>>();
            client.ApplicationMessageReceivedAsync += e =>
            {
                var at = Stopwatch.GetTimestamp();
                var received = DateTimeOffset.UtcNow;
                using var doc = JsonDocument.Parse(e.ApplicationMessage.Payload.ToArray());
                var type = doc.RootElement.GetProperty("type").GetString()!;
                if (expected.TryRemove(type, out var tcs))
                {
                    tcs.TrySetResult((at, received, doc.RootElement.GetProperty("ts").GetDateTimeOffset()));
                }

                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("gasp-sub").Build());
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("gw/v1/bench-gasp/events", MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await birth.Task.WaitAsync(TimeSpan.FromSeconds(30));

            var edgeToReceipt = new List<double>();
            var stampToReceipt = new List<double>();
            for (var i = -5; i < toggles; i++)
            {
                var lost = expected.GetOrAdd("power.lost", _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                var sent = Stopwatch.GetTimestamp();
                await SimSetAsync(socketPath, "power-good=0");
                var (at, received, ts) = await lost.WaitAsync(TimeSpan.FromSeconds(10));
                if (i >= 0)
                {
                    edgeToReceipt.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
                    stampToReceipt.Add((received - ts).TotalMilliseconds);
                }

                var restored = expected.GetOrAdd("power.restored", _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                await SimSetAsync(socketPath, "power-good=1");
                await restored.WaitAsync(TimeSpan.FromSeconds(10));
            }

            Report("real agent process, sim set power-good=0 sent → subscriber received power.lost", edgeToReceipt);
            Report("real agent process, event ts (the debounced edge's time) → subscriber received", stampToReceipt);
            await client.DisconnectAsync();
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task SimSetAsync(string socketPath, string assignment)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var request = Encoding.UTF8.GetBytes("{\"verb\":\"sim-set\",\"args\":[\"" + assignment + "\"]}\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream);
        var reply = await reader.ReadLineAsync();
        if (reply is null || !reply.Contains("\"ok\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("sim set refused: " + reply);
        }
    }

    private static void Report(string what, List<double> ms)
    {
        ms.Sort();
        double P(double q) => ms[(int)Math.Min(ms.Count - 1, Math.Ceiling(q * ms.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={ms.Count} p50={P(0.50):F1} ms p99={P(0.99):F1} ms max={ms[^1]:F1} ms"));
    }

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)s.LocalEndPoint!).Port;
    }
}
