using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.EndToEnd.Tests.Hosts;

/// <summary>
/// One startup-error path for every host, seen as an operator sees it: the real executables, their exit codes and
/// stderr. An invalid option exits 2 with one line naming the key; a listen address in use exits 1 with one line
/// naming the address; neither prints a stack trace.
/// </summary>
[Trait("Ring", "e2e")]
public sealed class HostStartupErrorTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("host-startup-");

    private Task<HostRun> AgentAsync(int sipPort, params string[] settings) =>
        HostExecutables.RunAsync(HostExecutables.Agent,
        [
            "--Agent:Board:Kind=sim",
            $"--Agent:Sip:Listen:0=udp:127.0.0.1:{sipPort}",
            $"--Agent:Sip:Listen:1=tcp:127.0.0.1:{sipPort}",
            $"--Agent:LocalControl:Socket={Path.Combine(_work.FullName, "control.sock")}",
            $"--Agent:Telemetry:SpoolDirectory={Path.Combine(_work.FullName, "spool")}",
            .. settings,
        ], _work.FullName, Bound);

    private Task<HostRun> ControllerAsync(int httpPort, params string[] settings) =>
        HostExecutables.RunAsync(HostExecutables.Controller,
        [
            $"--Controller:Urls=http://127.0.0.1:{httpPort}",
            $"--Controller:Mqtt:Listen=127.0.0.1:{FreePort.Next()}",
            $"--Controller:DataDirectory={Path.Combine(_work.FullName, "controller")}",
            .. settings,
        ], _work.FullName, Bound);

    private Task<HostRun> PortalAsync(int httpPort, params string[] settings) =>
        HostExecutables.RunAsync(HostExecutables.Portal,
        [
            $"--Portal:Urls=http://127.0.0.1:{httpPort}",
            $"--Controller:DataDirectory={Path.Combine(_work.FullName, "portal")}",
            .. settings,
        ], _work.FullName, Bound);

    private static void AssertOneLine(HostRun run, int exitCode, string prefix, string names)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        Assert.Contains(names, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Agent:Sip:Channels=abc", "Agent:Sip:Channels")]
    [InlineData("--Agent:Sip:Channels=0", "Agent:Sip:Channels")]
    [InlineData("--Agent:Board:Kind=bogus", "Agent:Board:Kind")]
    public async Task Agent_InvalidOption_Exits2_WithOneLineNamingTheKey(string setting, string key)
    {
        var run = await AgentAsync(LabHarness.FreeRange(1), setting);

        AssertOneLine(run, 2, "gateway-agent: invalid configuration: ", key);
    }

    [Fact]
    public async Task Agent_SipPortInUse_Exits1_WithOneLineNamingTheAddress()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var run = await AgentAsync(port);

        AssertOneLine(run, 1, "gateway-agent: cannot start: ", $"127.0.0.1:{port}");
    }

    [Theory]
    [InlineData("--Controller:Probing:Interval=xyz", "Controller:Probing:Interval")]
    [InlineData("--Controller:Probing:Interval=00:00:00", "Controller:Probing:Interval")]
    [InlineData("--Controller:Ivr:InterDigitTimeout=xyz", "Controller:Ivr:InterDigitTimeout")]
    [InlineData("--Controller:Ivr:MaxCalls=0", "Controller:Ivr:MaxCalls")]
    public async Task Controller_InvalidOption_Exits2_WithOneLineNamingTheKey(string setting, string key)
    {
        var run = await ControllerAsync(FreePort.Next(), setting);

        AssertOneLine(run, 2, "gateway-controller: invalid configuration: ", key);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "controller")), "an invalid option must stop the controller before it creates its store");
    }

    [Fact]
    public async Task Controller_SmtpPasswordInPlainText_Exits2_NamingTheKey_UnlessAllowed()
    {
        // Issue 12 item 13: a relay password with Security=none would cross the network in plain text.
        string[] relay =
        [
            "--Controller:Mail:Smtp:Host=127.0.0.1", $"--Controller:Mail:Smtp:Port={FreePort.Next()}", "--Controller:Mail:Smtp:Security=none",
            "--Controller:Mail:Smtp:From=notify@example.jp", "--Controller:Mail:Smtp:Username=notify", "--Controller:Mail:Smtp:Password=secret",
        ];

        var run = await ControllerAsync(FreePort.Next(), relay);

        AssertOneLine(run, 2, "gateway-controller: invalid configuration: ", "Controller:Mail:Smtp:Password");
        Assert.Contains("Controller:Mail:Smtp:AllowPlaintextPassword", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("secret", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "controller")), "an invalid option must stop the controller before it creates its store");

        // With the explicit allowance the same settings pass: another bad key is then the only one named.
        var allowed = await ControllerAsync(FreePort.Next(), [.. relay, "--Controller:Mail:Smtp:AllowPlaintextPassword=true", "--Controller:Probing:Interval=00:00:00"]);

        AssertOneLine(allowed, 2, "gateway-controller: invalid configuration: ", "Controller:Probing:Interval");
        Assert.DoesNotContain("Controller:Mail:Smtp:Password", allowed.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controller_HttpPortInUse_Exits1_WithOneLineNamingTheAddress()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var run = await ControllerAsync(port);

        AssertOneLine(run, 1, "gateway-controller: cannot start: ", $"127.0.0.1:{port}");
    }

    [Fact]
    public async Task Controller_MqttPortInUse_Exits1_WithOneLineNamingTheAddress()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var run = await ControllerAsync(FreePort.Next(), $"--Controller:Mqtt:Listen=127.0.0.1:{port}");

        AssertOneLine(run, 1, "gateway-controller: cannot start: ", $"127.0.0.1:{port}");
    }

    [Theory]
    [InlineData("--Portal:IdleTimeout=abc", "Portal:IdleTimeout")]
    [InlineData("--Portal:IdleTimeout=00:00:01", "Portal:IdleTimeout")]
    [InlineData("--Portal:Https:CertificatePath=/nonexistent/portal.crt", "Portal:Https:CertificatePath")]
    public async Task Portal_InvalidOption_Exits2_WithOneLineNamingTheKey(string setting, string key)
    {
        var run = await PortalAsync(FreePort.Next(), setting);

        AssertOneLine(run, 2, "gateway-portal: invalid configuration: ", key);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "portal")), "an invalid option must stop the site before it creates its store or keys");
    }

    [Fact]
    public async Task Portal_PortInUse_Exits1_WithOneLineNamingTheAddress()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var run = await PortalAsync(port);

        AssertOneLine(run, 1, "gateway-portal: cannot start: ", $"127.0.0.1:{port}");
    }

    [Theory]
    [InlineData("--sites abc", "--sites")]
    [InlineData("--interval 0", "--interval")]
    [InlineData("--bogus", "--bogus")]
    public async Task Lab_InvalidOption_Exits2_WithOneLineNamingTheOption(string arguments, string option)
    {
        var run = await HostExecutables.RunAsync(HostExecutables.Lab, arguments.Split(' '), _work.FullName, Bound);

        AssertOneLine(run, 2, "gateway-lab: invalid configuration: ", option);
    }

    [Fact]
    public async Task Lab_HttpPortInUse_Exits1_WithOneLineNamingTheAddress_StartingNoChild()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var run = await HostExecutables.RunAsync(HostExecutables.Lab,
            ["--sites", "1", "--data", Path.Combine(_work.FullName, "lab"), "--plain", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            _work.FullName, Bound);

        AssertOneLine(run, 1, "gateway-lab: cannot start: ", $"127.0.0.1:{port} (--http-port)");
        Assert.DoesNotContain("started, pid", run.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
