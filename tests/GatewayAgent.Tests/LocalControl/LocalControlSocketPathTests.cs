using GatewayAgent.LocalControl;

namespace GatewayAgent.Tests.LocalControl;

/// <summary>Server and CLI agree on where the socket is, including the fallback when /run is not writable.</summary>
[Trait("Ring", "integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LocalControlSocketPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ga-paths-").FullName;

    [Fact]
    public void Configured_Wins_OnBothSides()
    {
        Assert.Equal("/x/control.sock", LocalControlSocketPath.ForServer("/x/control.sock"));
        Assert.Equal("/x/control.sock", LocalControlSocketPath.ForClient("/x/control.sock"));
    }

    [Fact]
    public void UnwritableDefault_FallsBack_AndTheClientFindsTheFallback()
    {
        var blocker = Path.Combine(_root, "not-a-directory");
        File.WriteAllText(blocker, "");
        string[] candidates = [Path.Combine(blocker, "control.sock"), Path.Combine(_root, "user", "control.sock")];

        var server = LocalControlSocketPath.ForServer(null, candidates);
        Assert.Equal(candidates[1], server);
        Assert.Equal(candidates[0], LocalControlSocketPath.ForClient(null, candidates)); // nothing there yet: the default

        File.WriteAllText(server!, ""); // the server bound it
        Assert.Equal(server, LocalControlSocketPath.ForClient(null, candidates));
    }

    [Fact]
    public void DefaultCandidates_StartWithRun_AndEndPerUserInTmp()
    {
        var candidates = LocalControlSocketPath.Candidates();

        Assert.Equal("/run/gateway-agent/control.sock", candidates[0]);
        Assert.Matches(@"gateway-agent-\d+/control\.sock$", candidates[^1]);
    }

    [Fact]
    public void PlantedFallback_ASymlinkToSomeoneElsesDirectory_IsRefused_NeitherBoundInNorTalkedTo()
    {
        var blocker = Path.Combine(_root, "not-a-directory");
        File.WriteAllText(blocker, "");
        var attacker = Directory.CreateDirectory(Path.Combine(_root, "attacker")).FullName;
        var planted = Path.Combine(_root, "gateway-agent-planted");
        File.CreateSymbolicLink(planted, attacker);
        string[] candidates = [Path.Combine(blocker, "control.sock"), Path.Combine(planted, "control.sock"), Path.Combine(_root, "own", "control.sock")];
        var refused = new List<(string Directory, string Reason)>();

        var server = LocalControlSocketPath.ForServer(null, candidates, (d, r) => refused.Add((d, r)));

        Assert.Equal(candidates[2], server);
        Assert.Equal((planted, "it is a symbolic link"), Assert.Single(refused));
        Assert.Equal("700", Convert.ToString((int)File.GetUnixFileMode(Path.GetDirectoryName(server)!), 8));

        // A socket the attacker put there is not where the CLI goes.
        File.WriteAllText(Path.Combine(attacker, "control.sock"), "");
        Assert.Equal(candidates[0], LocalControlSocketPath.ForClient(null, candidates));
    }

    [Fact]
    public async Task PlantedFallback_ADirectoryOfAnotherUser_IsRefused_AndOurOwnWideOneIsNarrowed()
    {
        var blocker = Path.Combine(_root, "not-a-directory");
        File.WriteAllText(blocker, "");
        var foreign = Directory.CreateDirectory(Path.Combine(_root, "gateway-agent-foreign")).FullName;
        var all = (UnixFileMode)0x1FF; // 0777, as a planter makes it
        File.SetUnixFileMode(foreign, all);
        var ours = Directory.CreateDirectory(Path.Combine(_root, "gateway-agent-ours")).FullName;
        File.SetUnixFileMode(ours, all);
        string[] candidates = [Path.Combine(blocker, "control.sock"), Path.Combine(foreign, "control.sock"), Path.Combine(ours, "control.sock")];

        // Another user's: chown needs root (the tests run as root here); as anyone else, an existing directory of
        // someone else's is what /tmp holds anyway, so use one.
        string foreignOwner;
        if (Environment.UserName == "root")
        {
            await Tool.CheckedAsync("chown", ["65534:65534", foreign]);
            foreignOwner = "uid 65534";
        }
        else
        {
            candidates[1] = "/tmp/control.sock"; // /tmp is root's
            foreignOwner = "uid 0";
        }

        var refused = new List<(string Directory, string Reason)>();
        var server = LocalControlSocketPath.ForServer(null, candidates, (d, r) => refused.Add((d, r)));

        Assert.Equal(candidates[2], server);
        var (directory, reason) = Assert.Single(refused);
        Assert.Equal(Path.GetDirectoryName(candidates[1]), directory);
        Assert.Contains($"it is owned by {foreignOwner}, not by this user", reason, StringComparison.Ordinal);
        Assert.Equal("700", Convert.ToString((int)File.GetUnixFileMode(ours), 8)); // ours, made by an older version: narrowed

        // A socket in the other user's directory is never talked to.
        File.WriteAllText(Path.Combine(foreign, "control.sock"), "");
        Assert.NotEqual(Path.Combine(foreign, "control.sock"), LocalControlSocketPath.ForClient(null, candidates));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
