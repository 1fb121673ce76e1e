using GatewayAgent.LocalControl;

namespace GatewayAgent.Tests.LocalControl;

/// <summary>Server and CLI agree on where the socket is, including the fallback when /run is not writable.</summary>
[Trait("Ring", "integration")]
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

        File.WriteAllText(server, ""); // the server bound it
        Assert.Equal(server, LocalControlSocketPath.ForClient(null, candidates));
    }

    [Fact]
    public void DefaultCandidates_StartWithRun_AndEndPerUserInTmp()
    {
        var candidates = LocalControlSocketPath.Candidates();

        Assert.Equal("/run/gateway-agent/control.sock", candidates[0]);
        Assert.Matches(@"gateway-agent-\d+/control\.sock$", candidates[^1]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
