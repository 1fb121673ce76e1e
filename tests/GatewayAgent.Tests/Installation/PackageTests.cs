using GatewayAgent.Contracts;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Installation;

/// <summary>The .deb and the tarball install exactly what the installer's guide (systemd/README.md) says.</summary>
[Collection(AgentPackageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class PackageTests
{
    private readonly AgentPackageFixture _package;

    public PackageTests(AgentPackageFixture package) => _package = package;

    [Theory]
    [InlineData("opt/gateway-agent/gateway-agent", "755 root root regular file")]
    [InlineData("opt/gateway-agent/appsettings.json", "644 root root regular file")]
    [InlineData("opt/gateway-agent/pinmaps/rpi4.json", "644 root root regular file")]
    [InlineData("lib/systemd/system/gateway-agent.service", "644 root root regular file")]
    [InlineData("lib/udev/rules.d/99-gateway-agent.rules", "644 root root regular file")]
    [InlineData("etc/gateway-agent", "750 root root directory")]
    [InlineData("etc/gateway-agent/agent.json", "640 root root regular file")]
    [InlineData("usr/share/doc/gateway-agent/README.md", "644 root root regular file")]
    public async Task Deb_InstallsFile_WithMode(string path, string expected)
    {
        // Owner root in the archive; postinst gives /etc/gateway-agent and agent.json to group gateway-agent.
        Assert.Equal(expected, await Tool.StatAsync(Path.Combine(_package.ExtractedRoot, path)));
    }

    [Fact]
    public async Task Packages_CarryTheNativeAotExecutable_WithoutTheRuntime_AndKeepTheSymbolsApart()
    {
        // Native AOT (bench/RESULTS.md §23): one executable, no managed assemblies, no .NET runtime, no createdump.
        var installed = Directory.GetFiles(Path.Combine(_package.ExtractedRoot, "opt/gateway-agent"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(f)).ToList();
        Assert.Contains("gateway-agent", installed);
        Assert.Contains("appsettings.json", installed);
        Assert.DoesNotContain(installed, f => f.EndsWith(".dll", StringComparison.Ordinal) || f.StartsWith("libcoreclr", StringComparison.Ordinal)
            || f == "createdump" || f.EndsWith(".dbg", StringComparison.Ordinal) || f.EndsWith(".pdb", StringComparison.Ordinal)
            || f.EndsWith(".xml", StringComparison.Ordinal));

        // The debug symbols stay beside the packages, for crash analysis of this build; the tarball leaves them out too.
        Assert.True(new FileInfo(_package.DebugSymbolsPath).Length > 1_000_000, _package.DebugSymbolsPath);
        var tarball = await Tool.CheckedAsync("tar", ["-tzf", _package.TarballPath]);
        Assert.Contains(tarball.Split('\n'), l => l.EndsWith("/bin/gateway-agent", StringComparison.Ordinal));
        Assert.DoesNotContain(".dbg", tarball, StringComparison.Ordinal);
        Assert.DoesNotContain(".dll", tarball, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deb_Depends_NameTheLibrariesTheExecutableLinks()
    {
        // The executable (and any native library beside it) links only the C library, libc6; libssl is loaded at run
        // time for MQTT over TLS. Native AOT: no libstdc++6 or libgcc-s1 as the .NET runtime needed.
        foreach (var elf in Directory.GetFiles(Path.Combine(_package.ExtractedRoot, "opt/gateway-agent"))
            .Where(f => Path.GetFileName(f) == "gateway-agent" || f.EndsWith(".so", StringComparison.Ordinal)))
        {
            var dynamic = await Tool.CheckedAsync("readelf", ["-d", elf]);
            var needed = System.Text.RegularExpressions.Regex.Matches(dynamic, @"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")
                .Select(m => m.Groups[1].Value).ToList();
            Assert.Contains("libc.so.6", needed);
            Assert.All(needed, lib => Assert.Matches(@"^(libc\.so\.6|libm\.so\.6|ld-linux-x86-64\.so\.2)$", lib));
        }

        var depends = await Tool.CheckedAsync("dpkg-deb", ["--field", _package.DebPath, "Depends"]);
        Assert.Matches(@"^libc6 \(>= 2\.\d+\), libssl3 \| libssl1\.1, passwd$", depends.Trim());
    }

    [Fact]
    public void Deb_LinksTheCommandIntoUsrBin()
    {
        var link = new FileInfo(Path.Combine(_package.ExtractedRoot, "usr/bin/gateway-agent"));

        Assert.Equal("/opt/gateway-agent/gateway-agent", link.LinkTarget);
    }

    [Fact]
    public async Task Deb_InstalledUnit_IsTheRepositoryUnit_AndTheBinaryRuns()
    {
        Assert.Equal(await File.ReadAllTextAsync(InstallationPaths.UnitFile),
            await File.ReadAllTextAsync(Path.Combine(_package.ExtractedRoot, "lib/systemd/system/gateway-agent.service")));

        var version = await Tool.CheckedAsync(_package.Executable, ["version"]);
        Assert.StartsWith("0.1.0", version.Trim());
    }

    /// <summary>
    /// The shipped executable is compiled ahead of time: what the JIT-run process tests cover (SIP, MQTT over TLS through
    /// the native OpenSSL shim, the JSON of birth and events) must hold in the native build too.
    /// </summary>
    [Fact]
    public async Task Deb_Executable_AnswersAProbe_AndPublishesOverTlsWithItsClientCertificate()
    {
        const string Site = Telemetry.AgentProcessTlsTests.Site;
        using var dir = new TempDirectory();
        var pki = Telemetry.TestCertificates.Create(dir.Path, "good", Site);
        await using var broker = await Telemetry.TelemetryBroker.StartWithTlsAsync(pki);
        await using var controller = await Telemetry.MqttTestClient.ConnectAsync(broker.Port, "controller", Telemetry.TelemetryBroker.ControllerUser,
            Telemetry.TelemetryBroker.Password, filters: "gw/v1/#");
        await using var agent = await AgentProcess.StartAsync(
            Telemetry.AgentProcessTlsTests.TlsSettings(broker, Path.Combine(dir.Path, "spool"), pki.CaFile, pki),
            executable: _package.Executable);
        await controller.WaitForAsync(m => m.Topic == Topics.State(Site) && m.Json.GetProperty("online").GetBoolean(), "birth over TLS");

        await using var sip = await InProcessSipStack.StartAsync();
        Assert.Equal(200, (await sip.CallAsync(agent)).FinalStatus);
        await controller.WaitForAsync(m => m.Topic == Topics.Events(Site) && m.Json.GetProperty("type").GetString() == EventTypes.ProbeAnswered,
            "probe.answered over TLS");
    }

    [Fact]
    public async Task Deb_Info_ShowsTheControlFields_AndMaintainerScripts()
    {
        var info = await Tool.CheckedAsync("dpkg-deb", ["--info", _package.DebPath]);

        Assert.Contains(" Package: gateway-agent\n", info);
        Assert.Contains(" Version: 0.1.0\n", info);
        Assert.Contains(" Architecture: amd64\n", info);
        Assert.Matches(@"\n Depends: libc6 .*libssl3", info);
        Assert.Contains(" Section: net\n", info);
        Assert.Matches(@"\n Installed-Size: \d+\n", info);
        foreach (var script in new[] { "postinst", "prerm", "postrm", "conffiles" })
        {
            Assert.Matches($@"\s{script}\s", info);
        }

        Assert.Equal("/etc/gateway-agent/agent.json\n", await ControlFileAsync("conffiles"));
    }

    [Theory]
    [InlineData("postinst")]
    [InlineData("prerm")]
    [InlineData("postrm")]
    public async Task Deb_MaintainerScript_IsValidPosixShell(string script)
    {
        var path = Path.Combine(await ControlDirectoryAsync(), script);

        Assert.Equal("755 root root regular file", await Tool.StatAsync(path));
        await Tool.CheckedAsync("sh", ["-n", path]);
    }

    [Fact]
    public async Task Postinst_CreatesTheUserAndGroups_AndGivesTheConfigurationToTheService()
    {
        var postinst = await File.ReadAllTextAsync(Path.Combine(await ControlDirectoryAsync(), "postinst"));

        Assert.Contains("useradd --system --user-group", postinst);
        Assert.Contains("usermod -a -G gpio,i2c gateway-agent", postinst);
        Assert.Contains("chown root:gateway-agent \"$CONFIG\"", postinst);
        Assert.Contains("chmod 0640 \"$CONFIG\"", postinst);
        Assert.Contains("systemctl enable gateway-agent.service", postinst);
        Assert.Contains("systemctl daemon-reload", postinst);
    }

    [Fact]
    public async Task InstallSh_IntoAScratchRoot_IsIdempotent_KeepsTheConfiguration_AndUninstalls()
    {
        var tree = Directory.CreateTempSubdirectory("tarball-").FullName;
        await Tool.CheckedAsync("tar", ["-xzf", _package.TarballPath, "-C", tree]);
        var install = Assert.Single(Directory.GetFiles(tree, "install.sh", SearchOption.AllDirectories));
        var root = Directory.CreateTempSubdirectory("destdir-").FullName;

        await Tool.CheckedAsync(install, ["--destdir", root]);

        Assert.Equal("755 root root regular file", await Tool.StatAsync(Path.Combine(root, "opt/gateway-agent/gateway-agent")));
        Assert.Equal("/opt/gateway-agent/gateway-agent", new FileInfo(Path.Combine(root, "usr/local/bin/gateway-agent")).LinkTarget);
        Assert.Equal("644 root root regular file", await Tool.StatAsync(Path.Combine(root, "etc/systemd/system/gateway-agent.service")));
        Assert.Equal("644 root root regular file", await Tool.StatAsync(Path.Combine(root, "etc/udev/rules.d/99-gateway-agent.rules")));
        Assert.Equal("750 root root directory", await Tool.StatAsync(Path.Combine(root, "etc/gateway-agent")));
        Assert.Equal("640 root root regular file", await Tool.StatAsync(Path.Combine(root, "etc/gateway-agent/agent.json")));
        var unit = await File.ReadAllTextAsync(Path.Combine(root, "etc/systemd/system/gateway-agent.service"));
        Assert.Contains("\nExecStart=/opt/gateway-agent/gateway-agent run --config /etc/gateway-agent/agent.json\n", unit);

        // Provisioned settings survive a second install (an upgrade).
        var config = Path.Combine(root, "etc/gateway-agent/agent.json");
        await File.WriteAllTextAsync(config, """{ "Agent": { "Sip": { "MonitorNumbers": ["0312345678"] } } }""");
        await Tool.CheckedAsync(install, ["--destdir", root]);
        Assert.Contains("0312345678", await File.ReadAllTextAsync(config));
        Assert.False(Directory.Exists(Path.Combine(root, "opt/gateway-agent.new")));
        Assert.False(Directory.Exists(Path.Combine(root, "opt/gateway-agent.old")));

        // Another prefix: the unit follows it.
        await Tool.CheckedAsync(install, ["--destdir", root, "--prefix", "/usr/lib/gateway-agent", "--bindir", "/usr/sbin"]);
        Assert.Contains("\nExecStart=/usr/lib/gateway-agent/gateway-agent run ", await File.ReadAllTextAsync(Path.Combine(root, "etc/systemd/system/gateway-agent.service")));
        Assert.Equal("/usr/lib/gateway-agent/gateway-agent", new FileInfo(Path.Combine(root, "usr/sbin/gateway-agent")).LinkTarget);
        await Tool.CheckedAsync(install, ["--destdir", root, "--prefix", "/usr/lib/gateway-agent", "--bindir", "/usr/sbin", "--uninstall"]);
        Assert.False(Directory.Exists(Path.Combine(root, "usr/lib/gateway-agent")));

        await Tool.CheckedAsync(install, ["--destdir", root, "--uninstall"]);
        Assert.False(Directory.Exists(Path.Combine(root, "opt/gateway-agent")));
        Assert.False(File.Exists(Path.Combine(root, "etc/systemd/system/gateway-agent.service")));
        Assert.False(File.Exists(Path.Combine(root, "etc/udev/rules.d/99-gateway-agent.rules")));
        Assert.False(new FileInfo(Path.Combine(root, "usr/local/bin/gateway-agent")).Exists);
        Assert.True(File.Exists(config), "--uninstall keeps the configuration");

        await Tool.CheckedAsync(install, ["--destdir", root, "--uninstall", "--purge"]);
        Assert.False(Directory.Exists(Path.Combine(root, "etc/gateway-agent")));
    }

    [Fact]
    public async Task InstallSh_RejectsUnknownArguments()
    {
        var (code, output) = await Tool.RunAsync(Path.Combine(InstallationPaths.SystemdDirectory, "install.sh"), ["--frobnicate"]);

        Assert.Equal(2, code);
        Assert.Contains("unknown argument '--frobnicate'", output);
    }

    private async Task<string> ControlDirectoryAsync()
    {
        var dir = Path.Combine(_package.WorkDirectory, "control");
        if (!Directory.Exists(dir))
        {
            await Tool.CheckedAsync("dpkg-deb", ["--control", _package.DebPath, dir]);
        }

        return dir;
    }

    private async Task<string> ControlFileAsync(string name) => await File.ReadAllTextAsync(Path.Combine(await ControlDirectoryAsync(), name));
}
