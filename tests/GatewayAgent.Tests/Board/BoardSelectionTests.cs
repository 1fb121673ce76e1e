using GatewayAgent.Board;

namespace GatewayAgent.Tests.Board;

/// <summary>Which board and pin map the agent picks when Agent:Board:Kind is empty.</summary>
[Trait("Ring", "integration")]
public sealed class BoardSelectionTests : IDisposable
{
    private readonly string _model = Path.GetTempFileName();

    [Theory]
    [InlineData("Raspberry Pi 4 Model B Rev 1.5\0", "rpi", "rpi4.json")]
    [InlineData("Raspberry Pi 5 Model B Rev 1.0\0", "rpi", "rpi5.json")]
    [InlineData("Radxa ROCK 5B\0", "sim", "sim.json")]
    public void Automatic_IsRpiOnARaspberryPi_ElseSim(string model, string kind, string pinMap)
    {
        File.WriteAllText(_model, model);

        var selection = BoardSelection.Resolve(new BoardOptions { DeviceTreeModel = _model });

        Assert.Equal(kind, selection.Kind);
        Assert.True(selection.Automatic);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "pinmaps", pinMap), selection.PinMapPath);
        Assert.Equal($"{kind} (pinmaps/{pinMap})", selection.Description);

        // The automatic sim is only a description for the doctor: the agent refuses to run it (issue 12 item 6).
        Assert.Equal(kind == "sim", selection.AutomaticRefusal is not null);
    }

    [Fact]
    public void ExplicitSim_IsNotRefused_OnAnyMachine()
    {
        File.WriteAllText(_model, "Radxa ROCK 5B\0");

        var selection = BoardSelection.Resolve(new BoardOptions { Kind = "sim", DeviceTreeModel = _model });

        Assert.Equal("sim", selection.Kind);
        Assert.Null(selection.AutomaticRefusal);
    }

    [Fact]
    public void NoDeviceTree_IsSim_AndABareFileNameIsAShippedPinMap()
    {
        var selection = BoardSelection.Resolve(new BoardOptions { DeviceTreeModel = "/nonexistent/model", PinMap = "rpi5.json" });

        Assert.Equal("sim", selection.Kind);
        Assert.Equal("rpi5.json", selection.LoadPinMap().Name);
    }

    [Fact]
    public void ExplicitKind_UsesItsDefaultPinMap()
    {
        var selection = BoardSelection.Resolve(new BoardOptions { Kind = "libgpiod", DeviceTreeModel = "/nonexistent/model" });

        Assert.False(selection.Automatic);
        Assert.Equal(0, selection.LoadPinMap().Chip);
    }

    public void Dispose() => File.Delete(_model);
}
