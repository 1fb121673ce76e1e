using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests.Lab;

/// <summary>The lab's --nodes options (docs/scale-out.md, "The 3-node lab") and the node commands of its console.</summary>
[Trait("Ring", "unit")]
public sealed class LabNodesOptionsTests
{
    [Fact]
    public void Without_nodes_the_lab_runs_one_controller_on_embedded_defaults()
    {
        var options = LabOptions.Parse([]);

        Assert.Null(options.Nodes);
        Assert.Equal(1, options.NodeCount);
        Assert.Equal(8080, options.NodeHttpPort(1));
    }

    [Fact]
    public void Nodes_are_parsed_with_their_lease_heartbeat_and_database_port_and_each_node_gets_its_own_api_and_sink_port()
    {
        var options = LabOptions.Parse(["--nodes", "3", "--lease", "6", "--heartbeat", "1.5", "--pg-port", "27432", "--http-port", "27080", "--smtp-port", "27025"]);

        Assert.Equal(3, options.Nodes);
        Assert.Equal(TimeSpan.FromSeconds(6), options.LeaseTime);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.Heartbeat);
        Assert.Equal(27432, options.PostgresPort);
        Assert.Equal([27080, 27090, 27100], Enumerable.Range(1, 3).Select(options.NodeHttpPort));
        Assert.Equal([27025, 27026, 27027], Enumerable.Range(1, 3).Select(options.NodeSmtpPort));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("x")]
    public void A_node_count_outside_1_to_5_is_refused(string nodes)
    {
        var error = Assert.Throws<ArgumentException>(() => LabOptions.Parse(["--nodes", nodes]));

        Assert.StartsWith("--nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_heartbeat_above_half_the_lease_is_refused_as_the_controller_would()
    {
        var error = Assert.Throws<ArgumentException>(() => LabOptions.Parse(["--nodes", "2", "--lease", "4", "--heartbeat", "3"]));

        Assert.StartsWith("--heartbeat", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kill-node 2", "kill-node", 2, false)]
    [InlineData("start-node 3", "start-node", 3, true)]
    [InlineData(" cut-node 1 ", "cut-node", 1, false)]
    [InlineData("HEAL-NODE 1", "heal-node", 1, true)]
    public void Node_commands_name_a_node(string line, string verb, int node, bool on)
    {
        var command = LabCommand.Parse(line, sites: 2, out var error, nodes: 3);

        Assert.Null(error);
        Assert.Equal(new LabCommand(verb, node, on), command);
    }

    [Theory]
    [InlineData("kill-node 4", "no node '4': nodes are 1 to 3")]
    [InlineData("kill-node 0", "no node '0': nodes are 1 to 3")]
    [InlineData("kill-node x", "no node 'x': nodes are 1 to 3")]
    public void A_node_that_does_not_exist_is_refused(string line, string message)
    {
        Assert.Null(LabCommand.Parse(line, sites: 2, out var error, nodes: 3));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Node_commands_without_nodes_say_how_to_get_them()
    {
        Assert.Null(LabCommand.Parse("kill-node 1", sites: 3, out var error));
        Assert.Equal("kill-node: the lab runs one controller; start it with --nodes N", error);
    }

    [Fact]
    public void With_nodes_the_edge_reads_the_labs_postgresql()
    {
        var options = new LabOptions { Nodes = 3 };

        var arguments = string.Join(' ', EdgeProcess.Arguments("/repo/edge/kamailio/kamailio.cfg", "/lab/edge", "postgres://postgres@127.0.0.1:27432/gateway", options));

        Assert.Contains("-A DBURL=\"postgres://postgres@127.0.0.1:27432/gateway\" -A WITH_POSTGRES", arguments, StringComparison.Ordinal);
        Assert.DoesNotContain("sqlite", arguments, StringComparison.Ordinal);
    }
}
