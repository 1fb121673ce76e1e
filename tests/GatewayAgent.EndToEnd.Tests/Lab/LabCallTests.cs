using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests.Lab;

/// <summary>What the "call" command prints, from the final status and the 2xx's Contact; which number it calls by default.</summary>
[Trait("Ring", "unit")]
public sealed class LabCallTests
{
    private const int DestinationPort = 5090;
    private static readonly LabSite[] Sites = [new(1, 15061, "/lab/sites/1"), new(2, 15062, "/lab/sites/2")];

    [Theory]
    [InlineData(200, "<sip:0310000002@127.0.0.1:15062>", "call 0310000002: answered by site 2")]
    [InlineData(200, "<sip:0310000001@127.0.0.1:15061;transport=tcp>", "call 0310000002: answered by site 1")]
    [InlineData(200, "<sip:09012340002@127.0.0.1:5090>", "call 0310000002: answered by destination 09012340002")]
    [InlineData(486, null, "call 0310000002: busy (486)")]
    [InlineData(404, null, "call 0310000002: rejected (404)")]
    [InlineData(408, null, "call 0310000002: rejected (408)")]
    [InlineData(200, "<sip:x@192.0.2.1:5070>", "call 0310000002: answered by <sip:x@192.0.2.1:5070>")]
    public void Describe_TellsWhoAnswered(int status, string? contact, string line)
    {
        Assert.Equal(line, LabCaller.Describe("0310000002", status, contact, Sites, DestinationPort));
    }

    [Fact]
    public void Describe_NamesTheIvr_WhenItsPortAnswered()
    {
        Assert.Equal("call 0120555555: answered by the IVR",
            LabCaller.Describe("0120555555", 200, "<sip:0120555555@127.0.0.1:5080>", Sites, DestinationPort, ivrPort: 5080));
    }

    [Fact]
    public void DefaultNumber_IsTheFirstNumberWithADestination()
    {
        var contract = Contract("0310000002", ["0330000002", "0320000002"], [new DestinationEntry("0330000002", "09012340002")]);

        Assert.Equal("0330000002", LabRunner.DefaultNumber(contract));
    }

    [Fact]
    public void DefaultNumber_WithoutDestinations_IsTheContractNumber()
    {
        Assert.Equal("0310000002", LabRunner.DefaultNumber(Contract("0310000002", ["0320000002"], [])));
    }

    [Fact]
    public void NumbersOfTheView_EachWithItsDestination_ContractNumberFirst_MonitoringMarked()
    {
        var contract = Contract("0310000002", ["0330000002", "0320000002"], [new DestinationEntry("0310000002", "09012340002")]);

        Assert.Equal("0310000002 → 09012340002 · 0330000002 · 0320000002 (monitoring)", SiteView.FormatNumbers(contract));
    }

    [Fact]
    public void LabSite_HasTheContractNumber_ASecondLine_AndTheMonitoringNumber_WithAMobileDestination()
    {
        var site = Sites[1];

        Assert.Equal(["0310000002", "0330000002", "0320000002"], site.Numbers);
        Assert.Equal("09012340002", site.Destination);
        Assert.Null(GatewayAgent.Domain.Numbers.RestrictedDestination.Check(site.Destination));
    }

    private static ContractRecord Contract(string number, string[] additional, DestinationEntry[] destinations) => new()
    {
        Id = 1,
        ContractNumber = number,
        AdditionalNumbers = additional,
        Channels = 2,
        MonitoringNumber = "0320000002",
        Destinations = destinations,
        Notification = new NotificationSettings(),
        Detector = null!,
        Forwarding = null!,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
