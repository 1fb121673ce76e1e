namespace GatewayAgent.Tests.Installation;

/// <summary>
/// systemd/install.sh around a running service (issue 12 item 6): the agent is stopped before any of its files is
/// replaced, and the new version started after. systemd is not PID 1 here, so a stand-in systemctl
/// (INSTALL_SH_SYSTEMCTL) records each call with whether the old binaries were still in place at that moment.
/// </summary>
[Trait("Ring", "integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallScriptTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("install-sh-");

    [Fact]
    public async Task Upgrade_StopsTheRunningAgent_BeforeReplacingItsFiles_ThenStartsTheNewOne()
    {
        var install = Path.Combine(InstallationPaths.SystemdDirectory, "install.sh");
        var publish = Directory.CreateDirectory(Path.Combine(_work.FullName, "publish")).FullName;
        var binary = Path.Combine(publish, "gateway-agent");
        await File.WriteAllTextAsync(binary, "#!/bin/sh\necho gateway-agent\n");
        File.SetUnixFileMode(binary, (UnixFileMode)0x1ED); // 0755
        var root = Directory.CreateDirectory(Path.Combine(_work.FullName, "root")).FullName;
        await Tool.CheckedAsync(install, ["--from", publish, "--destdir", root]);

        // A provisioned, running site of the old version.
        await File.WriteAllTextAsync(Path.Combine(root, "etc/gateway-agent/agent.json"), """{ "Agent": { "Sip": { "MonitorNumbers": ["0312345678"] } } }""");
        await File.WriteAllTextAsync(Path.Combine(root, "opt/gateway-agent/OLD-VERSION"), "");
        var calls = Path.Combine(_work.FullName, "systemctl.log");
        var systemctl = Path.Combine(_work.FullName, "systemctl");
        await File.WriteAllTextAsync(systemctl, $"""
            #!/bin/sh
            if [ -e '{root}/opt/gateway-agent/OLD-VERSION' ]; then files=old; else files=new; fi
            echo "$* ($files files)" >> '{calls}'
            exit 0

            """);
        File.SetUnixFileMode(systemctl, (UnixFileMode)0x1ED);

        await Tool.CheckedAsync(install, ["--from", publish, "--destdir", root],
            environment: new Dictionary<string, string> { ["INSTALL_SH_SYSTEMCTL"] = systemctl });

        // Before the fix: no stop at all, the files swapped under the running agent, then a restart.
        Assert.Equal(
            [
                "is-active --quiet gateway-agent.service (old files)",
                "stop gateway-agent.service (old files)",
                "daemon-reload (new files)",
                "restart gateway-agent.service (new files)",
            ],
            await File.ReadAllLinesAsync(calls));
    }

    public void Dispose() => _work.Delete(recursive: true);
}
