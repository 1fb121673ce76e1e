using System.Net;
using System.Net.Sockets;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Installation;

/// <summary>
/// The unit as systemd reads it (systemd-analyze verify), and the installed agent running under the unit's
/// restrictions. systemd is not PID 1 here, so bubblewrap rebuilds what the unit asks for: a read-only root with only
/// the StateDirectory and RuntimeDirectory writable, a private /tmp, empty /home and /root, a private /proc and a
/// minimal /dev (DevicePolicy=closed), the gateway-agent user (nobody here) with CAP_NET_BIND_SERVICE as its only,
/// ambient capability and no new privileges.
/// </summary>
[Collection(AgentPackageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class SystemdUnitTests
{
    private const string Bwrap = "/usr/bin/bwrap";
    private const string Nobody = "65534";

    /// <summary>Set on each sandbox (bwrap passes it to the agent): finds every process of one sandbox in /proc.</summary>
    private const string SandboxMarker = "GATEWAY_TEST_SANDBOX";

    private readonly AgentPackageFixture _package;

    public SystemdUnitTests(AgentPackageFixture package) => _package = package;

    [ToolFact("/usr/bin/systemd-analyze", "systemd")]
    public async Task SystemdAnalyzeVerify_AcceptsTheInstalledUnit_WithoutAWord()
    {
        var root = await VerifyRootAsync(await File.ReadAllTextAsync(InstallationPaths.UnitFile));

        var (code, output) = await VerifyAsync(root);

        Assert.True(code == 0 && output.Trim().Length == 0, $"exit {code}:\n{output}");
    }

    [ToolFact("/usr/bin/systemd-analyze", "systemd")]
    public async Task SystemdAnalyzeVerify_WouldReportAMistake()
    {
        // The check above can fail: a misspelt key is reported.
        var unit = (await File.ReadAllTextAsync(InstallationPaths.UnitFile)).Replace("\nWatchdogSec=", "\nWatchdogSecs=", StringComparison.Ordinal);
        var root = await VerifyRootAsync(unit);

        var (_, output) = await VerifyAsync(root);

        Assert.Contains("Unknown key 'WatchdogSecs'", output);
    }

    [Fact]
    public async Task Unit_HasTheHardeningTheGuideDescribes()
    {
        var lines = (await File.ReadAllLinesAsync(InstallationPaths.UnitFile)).Where(l => !l.StartsWith('#')).ToList();

        foreach (var setting in new[]
                 {
                     "Type=notify", "WatchdogSec=30s", "Restart=on-failure", "User=gateway-agent", "SupplementaryGroups=gpio i2c",
                     "StateDirectory=gateway-agent", "RuntimeDirectory=gateway-agent", "ConfigurationDirectory=gateway-agent",
                     "AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "NoNewPrivileges=yes",
                     "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "ProtectKernelTunables=yes", "ProtectControlGroups=yes",
                     "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK", "DeviceAllow=char-gpiochip rw", "DeviceAllow=char-i2c rw",
                     "LockPersonality=yes", "RestartPreventExitStatus=2",
                     "MemoryHigh=192M", "MemoryMax=256M", "TasksMax=256", // issue 12 item 2: bounded memory and threads
                 })
        {
            Assert.Contains(setting, lines);
        }

        // The .NET JIT needs writable-then-executable pages.
        Assert.DoesNotContain(lines, l => l.StartsWith("MemoryDenyWriteExecute", StringComparison.Ordinal));
    }

    [ToolFact(Bwrap, "bubblewrap")]
    public async Task InstalledAgent_UnderTheUnitsRestrictions_Starts_AnswersAProbe_AndWritesOnlyItsStateAndRuntimeDirectories()
    {
        Assert.True(Sipp.IsInstalled, "sipp is not installed (apt-get install sip-tester)");
        var sandbox = Directory.CreateTempSubdirectory("sandbox-").FullName;
        var (state, runtime, config) = await PrepareDirectoriesAsync(sandbox);
        var port = FreePrivilegedPort();

        var sandboxId = Guid.NewGuid().ToString("N");
        await using var agent = await AgentProcess.LaunchAsync(Sandboxed(state, runtime, config, port, ambientCapability: true, sandboxId), TimeSpan.FromSeconds(60));

        var probe = await Sipp.RunAsync(["-sn", "uac", "-s", AgentProcess.MonitorNumber, $"127.0.0.1:{port}", "-m", "1", "-l", "1", "-timeout", "30"]);
        Assert.True(probe.ExitCode == 0 && probe.Successful == 1, probe + "\nagent:\n" + agent.Output);
        await agent.WaitForLogAsync("probe.answered", timeout: TimeSpan.FromSeconds(10));
        var before = await SnapshotAsync(state, runtime);
        // The marker finds the sandboxed agent while it runs (so the check below can fail)...
        Assert.Contains(ProcessTable.WithEnvironment(SandboxMarker, sandboxId), p => p.CommandLine.Contains("gateway-agent run", StringComparison.Ordinal));
        await agent.DisposeAsync();
        // ...and nothing of the sandbox (bwrap, its pid 1, the agent) is left once the test has stopped it.
        Assert.Empty(ProcessTable.WithEnvironment(SandboxMarker, sandboxId));

        Assert.DoesNotContain("Read-only file system", agent.Output);
        Assert.DoesNotContain("Permission denied", agent.Output);
        Assert.DoesNotContain("Unhandled exception", agent.Output);
        // The control socket lives in the RuntimeDirectory (/run/gateway-agent/control.sock).
        Assert.Contains(before, f => f.Path == Path.Combine(runtime, "control.sock"));
        // Whatever it wrote (control socket, spool, bdSeq...) belongs to the service user, inside its two directories.
        foreach (var file in before)
        {
            Assert.True(file.Owner == Nobody, $"{file.Path} is owned by uid {file.Owner}");
        }
    }

    [ToolFact(Bwrap, "bubblewrap")]
    public async Task WithoutTheAmbientCapability_ThePrivilegedSipPort_CannotBeBound()
    {
        var sandbox = Directory.CreateTempSubdirectory("sandbox-").FullName;
        var (state, runtime, config) = await PrepareDirectoriesAsync(sandbox);
        var port = FreePrivilegedPort();

        var sandboxId = Guid.NewGuid().ToString("N");
        var (code, output) = await Tool.RunAsync(Bwrap, Sandboxed(state, runtime, config, port, ambientCapability: false, sandboxId).ArgumentList,
            TimeSpan.FromMinutes(1), environment: new Dictionary<string, string> { [SandboxMarker] = sandboxId });

        Assert.Equal(1, code);
        // The startup error names the refused bind: the privileged port without CAP_NET_BIND_SERVICE.
        Assert.Contains($"cannot bind udp:127.0.0.1:{port}: AccessDenied", output);
        Assert.Empty(ProcessTable.WithEnvironment(SandboxMarker, sandboxId));
    }

    /// <summary>
    /// The sandbox dies with whatever started it, even when that is killed without a chance to stop it (a test host
    /// killed at the end of a run): bwrap's --die-with-parent and its own PID namespace take the agent down with it.
    /// </summary>
    [ToolFact(Bwrap, "bubblewrap")]
    public async Task SandboxedAgent_DiesWithItsLauncher_WhenTheLauncherIsKilled()
    {
        var sandbox = Directory.CreateTempSubdirectory("sandbox-").FullName;
        var (state, runtime, config) = await PrepareDirectoriesAsync(sandbox);
        var sandboxId = Guid.NewGuid().ToString("N");
        await using var agent = await AgentProcess.LaunchAsync(
            Sandboxed(state, runtime, config, FreePrivilegedPort(), ambientCapability: true, sandboxId), TimeSpan.FromSeconds(60));
        Assert.Contains(ProcessTable.WithEnvironment(SandboxMarker, sandboxId), p => p.CommandLine.Contains("gateway-agent run", StringComparison.Ordinal));

        // SIGKILL to bwrap alone (no SIGTERM, no tree kill): what a launcher's sudden death leaves to the sandbox itself.
        Assert.True(await ProcessStop.SignalAsync(agent.ProcessId, "KILL"));

        // /proc cannot announce a process's end: re-read, with a bound.
        var left = await Wait.PollAsync(() => Task.FromResult(ProcessTable.WithEnvironment(SandboxMarker, sandboxId)), l => l.Count == 0,
            TimeSpan.FromSeconds(10), "the sandboxed agent gone after its bwrap was killed");
        Assert.Empty(left);
    }

    private System.Diagnostics.ProcessStartInfo Sandboxed(string state, string runtime, string config, int port, bool ambientCapability, string sandboxId)
    {
        var info = new System.Diagnostics.ProcessStartInfo(Bwrap);
        info.Environment[SandboxMarker] = sandboxId;
        string[] args =
        [
            "--ro-bind", "/", "/",                                   // ProtectSystem=strict
            .. ReadOnlyWith("/opt", "gateway-agent", Path.Combine(_package.ExtractedRoot, "opt/gateway-agent")),
            .. ReadOnlyWith("/etc", "gateway-agent", config),        // ConfigurationDirectory, read-only
            "--dev", "/dev",                                         // DevicePolicy=closed: null, zero, urandom...
            "--proc", "/proc",
            "--perms", "1777", "--tmpfs", "/tmp",                    // PrivateTmp=yes
            "--perms", "0000", "--tmpfs", "/home",                   // ProtectHome=yes
            "--perms", "0000", "--tmpfs", "/root",
            "--tmpfs", "/var/lib", "--bind", state, "/var/lib/gateway-agent", "--remount-ro", "/var/lib",   // StateDirectory=
            "--tmpfs", "/run", "--bind", runtime, "/run/gateway-agent", "--remount-ro", "/run",             // RuntimeDirectory=
            "--setenv", "STATE_DIRECTORY", "/var/lib/gateway-agent",
            "--setenv", "RUNTIME_DIRECTORY", "/run/gateway-agent",
            "--setenv", "CONFIGURATION_DIRECTORY", "/etc/gateway-agent",
            "--setenv", "DOTNET_gcServer", "0",
            "--setenv", "DOTNET_EnableDiagnostics", "0",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session",
            "--",
            "setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--no-new-privs",   // User=, NoNewPrivileges=yes
            .. (ambientCapability
                ? new[] { "--inh-caps=-all,+net_bind_service", "--ambient-caps=-all,+net_bind_service", "--bounding-set=-all,+net_bind_service" }
                : ["--inh-caps=-all", "--bounding-set=-all"]),
            "/opt/gateway-agent/gateway-agent", "run", "--config", "/etc/gateway-agent/agent.json",
            $"--Agent:Sip:Listen:0=udp:127.0.0.1:{port}", $"--Agent:Sip:Listen:1=tcp:127.0.0.1:{port}",
            "--Agent:Sip:Rtp:MinPort=30000", "--Agent:Sip:Rtp:MaxPort=39999",
            "--Agent:Board:Kind=sim", // not a Raspberry Pi: simulated only when set (issue 12 item 6)
        ];
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>
    /// The host's <paramref name="directory"/> with one more entry, all read-only: a tmpfs holding the host's entries
    /// (bound, symlinks recreated) and <paramref name="name"/> bound from <paramref name="source"/> (bubblewrap 0.8 has
    /// no overlays, and a read-only root has no mount point for a new entry).
    /// </summary>
    private static List<string> ReadOnlyWith(string directory, string name, string source)
    {
        var args = new List<string> { "--tmpfs", directory };
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            var info = new FileInfo(entry);
            if (info.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, entry]);
            }
            else
            {
                args.AddRange(["--ro-bind-try", entry, entry]);
            }
        }

        args.AddRange(["--ro-bind", source, Path.Combine(directory, name), "--remount-ro", directory]);
        return args;
    }

    /// <summary>State and runtime directories owned by the service user (as systemd creates them), and a provisioned
    /// configuration 0640 root:service-group.</summary>
    private static async Task<(string State, string Runtime, string Config)> PrepareDirectoriesAsync(string sandbox)
    {
        var state = Directory.CreateDirectory(Path.Combine(sandbox, "state")).FullName;
        var runtime = Directory.CreateDirectory(Path.Combine(sandbox, "runtime")).FullName;
        var config = Directory.CreateDirectory(Path.Combine(sandbox, "config")).FullName;
        var provisioned = await AgentCli.RunAsync("provision", "--output", Path.Combine(config, "agent.json"), "--monitor-number", AgentProcess.MonitorNumber, "--group", "nogroup",
            "--allowed-source", "127.0.0.0/8"); // the test probes it from loopback (issue 12 item 4: an allow-list is required)
        Assert.True(provisioned.ExitCode == 0, provisioned.ToString());
        await Tool.CheckedAsync("chown", [$"{Nobody}:{Nobody}", state, runtime]);
        await Tool.CheckedAsync("chmod", ["0750", state, runtime]);
        await Tool.CheckedAsync("chmod", ["0755", sandbox, config]);
        return (state, runtime, config);
    }

    private static async Task<List<(string Path, string Owner)>> SnapshotAsync(params string[] roots)
    {
        var files = new List<(string, string)>();
        foreach (var path in roots.SelectMany(r => Directory.EnumerateFileSystemEntries(r, "*", SearchOption.AllDirectories)))
        {
            files.Add((path, (await Tool.CheckedAsync("stat", ["-c", "%u", path])).Trim()));
        }

        return files;
    }

    /// <summary>A free port below 1024 on loopback (UDP and TCP), like SIP's 5060 a port that needs the capability.</summary>
    private static int FreePrivilegedPort()
    {
        for (var port = 900; port < 1024; port++)
        {
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port in 900-1023");
    }

    private async Task<string> VerifyRootAsync(string unit)
    {
        // A root with systemd's own units (for the targets the unit names) and the package's files.
        var root = Directory.CreateTempSubdirectory("verify-root-").FullName;
        await Tool.CheckedAsync("cp", ["-a", _package.ExtractedRoot + "/.", root]);
        await Tool.CheckedAsync("cp", ["-an", "/lib/systemd/system/.", Path.Combine(root, "lib/systemd/system")]);
        await File.WriteAllTextAsync(Path.Combine(root, "lib/systemd/system/gateway-agent.service"), unit);
        return root;
    }

    private static Task<(int ExitCode, string Output)> VerifyAsync(string root) =>
        Tool.RunAsync("systemd-analyze", ["verify", "--man=no", $"--root={root}", Path.Combine(root, "lib/systemd/system/gateway-agent.service")]);
}
