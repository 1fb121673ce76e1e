using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Lab;

/// <summary>
/// mosquitto as the lab's broker for --nodes (docs/ingest.md, "External mode with mosquitto"): the controller account
/// and one account per site (user name = site id) in a password file made by mosquitto_passwd, the product's ACL, on
/// 127.0.0.1:--mqtt-port; its configuration in DIR/mosquitto, rewritten at each start. The nodes consume with MQTT 5
/// shared subscriptions.
/// </summary>
public sealed class LabMosquitto : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";
    public const string ControllerUser = "controller";

    private const string Acl = """
        user controller
        topic readwrite gw/v1/#
        topic readwrite ctl/v1/#

        pattern write gw/v1/%u/state
        pattern write gw/v1/%u/telemetry
        pattern write gw/v1/%u/events
        pattern write gw/v1/%u/reply/#
        pattern read gw/v1/%u/cmd/#
        pattern read ctl/v1/replies/%u/#
        """;

    private readonly ChildProcess _process;

    private LabMosquitto(ChildProcess process, string controllerPassword)
    {
        _process = process;
        ControllerPassword = controllerPassword;
    }

    public string ControllerPassword { get; }

    public int Id => _process.Id;

    /// <summary>Writes the configuration for these accounts and starts mosquitto; returns once its port accepts connections.</summary>
    public static async Task<LabMosquitto> StartAsync(string directory, int port, IEnumerable<(string User, string Password)> sites, string logFile,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install mosquitto (./run.sh --nodes does)");
        }

        Directory.CreateDirectory(directory);
        var passwd = Path.Combine(directory, "passwd");
        var acl = Path.Combine(directory, "acl");
        var config = Path.Combine(directory, "mosquitto.conf");
        var controllerPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        await File.WriteAllTextAsync(passwd, "", cancellationToken).ConfigureAwait(false);
        foreach (var (user, password) in sites.Prepend((ControllerUser, controllerPassword)))
        {
            await RunAsync("mosquitto_passwd", ["-b", passwd, user, password], cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(acl, Acl + "\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(config, $"""
            per_listener_settings false
            user {Environment.UserName}
            listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1
            allow_anonymous false
            password_file {passwd}
            acl_file {acl}
            persistence false
            max_queued_messages 100000
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            connection_messages true

            """, cancellationToken).ConfigureAwait(false);

        var process = ChildProcess.StartProgram("mosquitto", Executable, ["-c", config], logFile);
        var broker = new LabMosquitto(process, controllerPassword);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return broker;
            }
            catch (SocketException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                var output = process.RecentOutput;
                await broker.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"mosquitto did not start on 127.0.0.1:{port}; its last output:\n{output}");
            }
        }
    }

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()}");
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
