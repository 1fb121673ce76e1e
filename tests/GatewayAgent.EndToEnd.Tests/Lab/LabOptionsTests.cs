using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests.Lab;

/// <summary>The lab's options for the edge: its SIP port, its JSON-RPC port and the destination phone's port.</summary>
[Trait("Ring", "unit")]
public sealed class LabOptionsTests
{
    [Fact]
    public void Defaults_EdgeOn5060_RpcOn5065_DestinationOn5090()
    {
        var options = LabOptions.Parse([]);

        Assert.Equal(5060, options.EdgePort);
        Assert.Equal(5065, options.EdgeRpcPort);
        Assert.Equal(5090, options.DestinationPort);
    }

    [Fact]
    public void EdgePorts_AreParsed()
    {
        var options = LabOptions.Parse(["--edge-port", "5070", "--edge-rpc-port", "5075", "--destination-port", "5099"]);

        Assert.Equal(5070, options.EdgePort);
        Assert.Equal(5075, options.EdgeRpcPort);
        Assert.Equal(5099, options.DestinationPort);
    }

    [Fact]
    public void The_settings_site_is_on_8081_unless_portal_port_says_otherwise()
    {
        Assert.Equal(8081, LabOptions.Parse([]).PortalPort);
        Assert.Equal(9443, LabOptions.Parse(["--portal-port", "9443"]).PortalPort);
    }

    [Fact]
    public void The_IVR_is_on_5080_unless_ivr_port_says_otherwise_and_the_edge_routes_the_access_number_to_it_SS_3()
    {
        Assert.Equal(5080, LabOptions.Parse([]).IvrPort);
        var options = LabOptions.Parse(["--ivr-port", "5081"]);
        Assert.Equal(5081, options.IvrPort);

        var arguments = string.Join(' ', EdgeProcess.Arguments("/repo/edge/kamailio/kamailio.cfg", "/lab/edge", "/lab/controller/controller.db", options));

        Assert.Contains("-A IVR_HOP=\"sip:127.0.0.1:5081\" -A ACCESS_NUMBER=\"0120555555\"", arguments, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ivr-port", "0")]
    [InlineData("--portal-port", "0")]
    [InlineData("--edge-port", "0")]
    [InlineData("--edge-rpc-port", "70000")]
    [InlineData("--destination-port", "x")]
    public void BadPort_NamesTheOption(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => LabOptions.Parse([option, value]));

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EdgeArguments_AreTheConfigHeadersCommandLine_OnTheLabsPortsAndDatabase()
    {
        var options = new LabOptions { EdgePort = 5070, EdgeRpcPort = 5075, DestinationPort = 5099 };

        var arguments = string.Join(' ', EdgeProcess.Arguments("/repo/edge/kamailio/kamailio.cfg", "/lab/edge", "/lab/controller/controller.db", options));

        Assert.Contains("-f /repo/edge/kamailio/kamailio.cfg -DD -E", arguments, StringComparison.Ordinal);
        Assert.Contains("-l udp:127.0.0.1:5070 -l tcp:127.0.0.1:5070 -l tcp:127.0.0.1:5075", arguments, StringComparison.Ordinal);
        Assert.Contains("-A DBURL=\"sqlite:////lab/controller/controller.db\"", arguments, StringComparison.Ordinal);
        Assert.Contains("-A RPC_PORT=5075", arguments, StringComparison.Ordinal);
        Assert.Contains("-A DESTINATION_HOP=\"sip:127.0.0.1:5099\"", arguments, StringComparison.Ordinal);
        Assert.Contains("-A REALM=\"gateway.edge\"", arguments, StringComparison.Ordinal);
        Assert.Contains("-Y /lab/edge", arguments, StringComparison.Ordinal);
    }
}
