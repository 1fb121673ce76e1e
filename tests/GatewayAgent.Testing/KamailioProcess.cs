using System.Collections.Concurrent;
using System.Diagnostics;

namespace GatewayAgent.Testing;

/// <summary>
/// A real kamailio (Debian package) on 127.0.0.1, started in the foreground from a config template: @LISTEN_PORT@ is
/// replaced by a free port, any other placeholder by the caller's value. Templates: the agent tests' registrar
/// (GatewayAgent.Tests/Kamailio/kamailio.cfg: user agent1, realm gateway.test, digest auth) and the controller tests'
/// outbound proxy (GatewayAgent.Controller.Tests/Probing/Kamailio/proxy.cfg).
/// </summary>
public sealed class KamailioProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly DirectoryInfo _runDir;

    private KamailioProcess(Process process, DirectoryInfo runDir, int port)
    {
        _process = process;
        _runDir = runDir;
        Port = port;
    }

    public int Port { get; }

    public string Output => string.Join('\n', _lines);

    public static bool IsInstalled => File.Exists("/usr/sbin/kamailio");

    /// <summary>Starts kamailio from <paramref name="template"/> (a path) with its placeholders filled in.</summary>
    public static async Task<KamailioProcess> StartAsync(string template, IReadOnlyDictionary<string, string>? placeholders = null)
    {
        var port = FreePort.Next();
        var runDir = Directory.CreateTempSubdirectory("kamailio-");
        var text = (await File.ReadAllTextAsync(template)).Replace("@LISTEN_PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in placeholders ?? new Dictionary<string, string>())
        {
            text = text.Replace(name, value);
        }

        var config = Path.Combine(runDir.FullName, "kamailio.cfg");
        await File.WriteAllTextAsync(config, text);
        var pidFile = Path.Combine(runDir.FullName, "kamailio.pid");
        var info = new ProcessStartInfo("/usr/sbin/kamailio")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = runDir.FullName,
        };
        foreach (var a in new[] { "-f", config, "-DD", "-E", "-Y", runDir.FullName, "-P", pidFile, "-w", runDir.FullName, "-m", "64", "-M", "8" })
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        var kamailio = new KamailioProcess(process, runDir, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) kamailio._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) kamailio._lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100 && !(File.Exists(pidFile) && new FileInfo(pidFile).Length > 0); i++)
        {
            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        if (process.HasExited || !File.Exists(pidFile))
        {
            var output = kamailio.Output;
            await kamailio.DisposeAsync();
            throw new InvalidOperationException("kamailio did not start:\n" + output);
        }

        return kamailio;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            _runDir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
