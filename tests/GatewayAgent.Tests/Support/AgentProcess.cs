using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace GatewayAgent.Tests.Support;

/// <summary>
/// The real gateway-agent executable, started on loopback ports with settings given as --Key=value overrides.
/// Ready when it logs that it listens; stopped with SIGTERM (then killed) on dispose.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    public const string MonitorNumber = "0312345678";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lineArrived = new(0);

    private AgentProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port the agent listens on, for both UDP and TCP, on 127.0.0.1.</summary>
    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the agent wrote so far (stdout and stderr).</summary>
    public string Output => string.Join('\n', _lines);

    public IEnumerable<string> Lines => _lines;

    public static string AgentDll => Path.Combine(AppContext.BaseDirectory, "gateway-agent.dll");

    /// <summary>Starts the agent with defaults for tests (one monitoring number, no rate limit) and the given overrides.</summary>
    public static async Task<AgentProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null, int? port = null, string? configFile = null)
    {
        var sipPort = port ?? FreePort.Next();
        var all = new Dictionary<string, string>
        {
            ["Agent:Sip:Listen:0"] = $"udp:127.0.0.1:{sipPort}",
            ["Agent:Sip:Listen:1"] = $"tcp:127.0.0.1:{sipPort}",
            ["Agent:Sip:RateLimitPerSecond"] = "0",
            ["Agent:Sip:Rtp:MinPort"] = "30000",
            ["Agent:Sip:Rtp:MaxPort"] = "39999",
            ["Logging:Console:FormatterName"] = "simple",
        };
        if (configFile is null)
        {
            all["Agent:Sip:MonitorNumbers:0"] = MonitorNumber;
            // Agents of different tests can be up at once (a fixture's and a test's): each its own control socket,
            // never the shared default under /run/gateway-agent.
            all["Agent:LocalControl:Socket"] = Path.Combine(Path.GetTempPath(), $"ga-{Guid.NewGuid():N}"[..15] + ".sock");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AgentDll);
        if (configFile is not null)
        {
            info.ArgumentList.Add("--config");
            info.ArgumentList.Add(configFile);
        }

        foreach (var (key, value) in all)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var agent = new AgentProcess(process, sipPort);
        process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        process.Exited += (_, _) => agent._ready.TrySetException(new InvalidOperationException("gateway-agent exited during start:\n" + agent.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await agent._ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        _lineArrived.Release();
        if (line.Contains("ready", StringComparison.Ordinal) && line.Contains("SIP listening on", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been logged <paramref name="count"/> times.</summary>
    public async Task WaitForLogAsync(string text, int count = 1, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (CountLog(text) < count)
        {
            try
            {
                // Woken by each new line the agent writes, not by a clock.
                await _lineArrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"'{text}' not logged {count} times; output:\n{Output}");
            }
        }
    }

    public int CountLog(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Resident memory of the agent process, in bytes (from /proc).</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessStop.TerminateAsync(_process, TimeSpan.FromSeconds(10));
        _process.Dispose();
        _lineArrived.Dispose();
    }
}
