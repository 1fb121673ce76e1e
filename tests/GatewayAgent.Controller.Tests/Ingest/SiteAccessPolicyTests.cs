using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Tests.Ingest;

[Trait("Ring", "unit")]
public sealed class SiteAccessPolicyTests
{
    [Theory]
    [InlineData("gw/v1/site-a/state", true)]
    [InlineData("gw/v1/site-a/telemetry", true)]
    [InlineData("gw/v1/site-a/events", true)]
    [InlineData("gw/v1/site-a/reply/gateway-controller-1", true)]
    [InlineData("gw/v1/site-a/cmd/rebirth", false)]
    [InlineData("gw/v1/site-b/events", false)]
    [InlineData("gw/v1/site-ab/events", false)]
    [InlineData("gw/v1/site-a", false)]
    [InlineData("gw/v1/+/events", false)]
    [InlineData("gw/v1/site-a/#", false)]
    [InlineData("ctl/v1/contracts/41/state", false)]
    [InlineData("ctl/v1/replies/site-a", false)]
    [InlineData("something/else", false)]
    [InlineData("gw/v1/site-a/anything", false)] // issue 12 item 8: only the documented kinds
    [InlineData("gw/v1/site-a/events/extra", false)]
    [InlineData("gw/v1/site-a/reply/", false)]
    [InlineData("gw/v1/site-a/reply", false)]
    public void MayPublish_only_under_the_sites_own_tree(string topic, bool allowed) =>
        Assert.Equal(allowed, SiteAccessPolicy.MayPublish("site-a", topic));

    [Theory]
    [InlineData("gw/v1/site-a/state", true)]
    [InlineData("gw/v1/site-a/telemetry", false)]
    [InlineData("gw/v1/site-a/events", false)]
    [InlineData("gw/v1/site-a/reply/gateway-controller-1", false)]
    public void MayPublish_retained_only_on_the_sites_state(string topic, bool allowed) =>
        Assert.Equal(allowed, SiteAccessPolicy.MayPublish("site-a", topic, retain: true));

    [Theory]
    [InlineData("gw/v1/site-a/cmd/#", true)]
    [InlineData("gw/v1/site-a/cmd/+", true)]
    [InlineData("gw/v1/site-a/cmd/led-test", true)]
    [InlineData("ctl/v1/replies/site-a", true)]
    [InlineData("ctl/v1/replies/site-a/#", true)]
    [InlineData("ctl/v1/contracts/41/state", true)]
    [InlineData("ctl/v1/contracts/42/state", false)]
    [InlineData("ctl/v1/contracts/+/state", false)]
    [InlineData("gw/v1/site-a/cmd/+/x", false)]
    [InlineData("gw/v1/site-a/cmd/", false)]
    [InlineData("gw/v1/site-a/#", false)]
    [InlineData("gw/v1/site-a/telemetry", false)]
    [InlineData("gw/v1/site-b/cmd/#", false)]
    [InlineData("gw/v1/+/cmd/#", false)]
    [InlineData("ctl/v1/replies/site-b", false)]
    [InlineData("ctl/v1/replies/+", false)]
    [InlineData("$share/g/gw/v1/site-a/cmd/#", false)]
    [InlineData("#", false)]
    public void MaySubscribe_only_to_its_commands_replies_and_contract(string filter, bool allowed) =>
        Assert.Equal(allowed, SiteAccessPolicy.MaySubscribe("site-a", filter, 41));
}
