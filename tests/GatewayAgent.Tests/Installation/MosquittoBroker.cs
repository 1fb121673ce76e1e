using System.Collections.Concurrent;
using System.Diagnostics;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Installation;

/// <summary>A real mosquitto (Debian package) on a free loopback port, optionally with a password file.</summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private MosquittoBroker(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Output => string.Join('\n', _lines);

    public static bool IsInstalled => File.Exists("/usr/sbin/mosquitto");

    /// <summary>Starts mosquitto; with <paramref name="user"/> only that user (and password) may connect.</summary>
    public static async Task<MosquittoBroker> StartAsync(string? user = null, string? password = null)
    {
        var dir = Directory.CreateTempSubdirectory("mosquitto-").FullName;
        var port = FreePort.Next();
        var config = new List<string>
        {
            $"listener {port} 127.0.0.1",
            "persistence false",
            "log_dest stderr",
            "log_type all",
            // Started as root, mosquitto would switch to its own user and lose access to this 0700 folder.
            "user root",
        };
        if (user is null)
        {
            config.Add("allow_anonymous true");
        }
        else
        {
            var passwords = Path.Combine(dir, "passwd");
            using (var hash = Process.Start("mosquitto_passwd", ["-b", "-c", passwords, user, password ?? ""])!)
            {
                await hash.WaitForExitAsync();
                Assert.Equal(0, hash.ExitCode);
            }

            config.Add("allow_anonymous false");
            config.Add($"password_file {passwords}");
        }

        var file = Path.Combine(dir, "mosquitto.conf");
        await File.WriteAllLinesAsync(file, config);
        var info = new ProcessStartInfo("/usr/sbin/mosquitto") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(file);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var broker = new MosquittoBroker(process, port);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            broker._lines.Enqueue(e.Data);
            if (e.Data.Contains(" running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException("mosquitto exited:\n" + broker.Output));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await running.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return broker;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
