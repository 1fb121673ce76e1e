using GatewayAgent.Hardware.Wan;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Hardware.Tests.Wan;

[Trait("Ring", "integration")]
public sealed class WanLinkMonitorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sysfs-net-").FullName;
    private readonly FakeTimeProvider _time = new();

    private void SetLink(string name, string operState, string? carrier)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.WriteAllText(Path.Combine(directory, "operstate"), operState + "\n");
        var carrierFile = Path.Combine(directory, "carrier");
        if (carrier is null)
        {
            File.Delete(carrierFile);
        }
        else
        {
            File.WriteAllText(carrierFile, carrier + "\n");
        }
    }

    [Theory]
    [InlineData("up", "1", true)]
    [InlineData("unknown", "1", true)]
    [InlineData("down", "0", false)]
    [InlineData("up", "0", false)]
    [InlineData("dormant", "1", false)]
    [InlineData("down", null, false)] // administratively down: carrier cannot be read
    public void Reading_FollowsOperstateAndCarrier(string operState, string? carrier, bool up)
    {
        SetLink("eth0", operState, carrier);
        using var monitor = new WanLinkMonitor("eth0", TimeSpan.FromSeconds(2), _time, _root);

        var reading = monitor.Read();

        Assert.Equal(up, reading.Up);
        Assert.Equal(operState, reading.OperState);
    }

    [Fact]
    public void MissingInterface_IsDown()
    {
        using var monitor = new WanLinkMonitor("wan9", TimeSpan.FromSeconds(2), _time, _root);
        var reading = monitor.Read();
        Assert.False(reading.Up);
        Assert.Equal("missing", reading.OperState);
    }

    [Fact]
    public void Changes_AreReportedAtTheNextPoll_Once()
    {
        SetLink("eth1", "up", "1");
        using var monitor = new WanLinkMonitor("eth1", TimeSpan.FromSeconds(2), _time, _root);
        var changes = new List<WanLinkReading>();
        monitor.Changed += changes.Add;
        Assert.True(monitor.Start().Up);

        SetLink("eth1", "down", "0");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(changes);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(Assert.Single(changes).Up);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(changes);

        SetLink("eth1", "up", "1");
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, changes.Count);
        Assert.True(changes[1].Up);
        Assert.Equal(_time.GetUtcNow(), changes[1].At);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
