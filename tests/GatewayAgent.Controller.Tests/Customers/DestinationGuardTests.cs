using GatewayAgent.Controller.Customers;

namespace GatewayAgent.Controller.Tests.Customers;

/// <summary>BF-5: while forwarding is on, the last destinations go only when the request says force.</summary>
[Trait("Ring", "unit")]
public sealed class DestinationGuardTests
{
    private static ContractRecord Current(bool forwarding, params DestinationEntry[] destinations) => new()
    {
        Id = 1,
        ContractNumber = "0312345678",
        AdditionalNumbers = ["0312345679"],
        Channels = 1,
        Destinations = destinations,
        Notification = new NotificationSettings(),
        Detector = new DetectorView("normal", 0, 0, null),
        Forwarding = new ForwardingView(forwarding, null, forwarding ? "manual" : null),
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static readonly DestinationEntry One = new("0312345678", "09012345678");

    [Fact]
    public void Removing_the_last_destinations_while_forwarding_is_refused_BF_5()
    {
        var current = Current(forwarding: true, One);

        var ex = Assert.Throws<ContractRuleException>(
            () => ContractValidator.RequireDestinationsWhileForwarding(current, current.ToDefinition() with { Destinations = [] }, force: false));

        var violation = Assert.Single(ex.Violations);
        Assert.Equal(("destinations", "BF-5"), (violation.Field, violation.Rule));
        Assert.Contains("forwarding is on; calls to numbers without a destination get busy", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true, false)] // forced
    [InlineData(false, false, false)] // forwarding off
    [InlineData(false, true, true)] // one destination stays
    public void Otherwise_the_change_passes_BF_5(bool force, bool forwarding, bool keepOne)
    {
        var current = Current(forwarding, One, new DestinationEntry("0312345679", "0667891234"));
        var next = current.ToDefinition() with { Destinations = keepOne ? [One] : [] };

        ContractValidator.RequireDestinationsWhileForwarding(current, next, force);
    }

    [Fact]
    public void A_contract_already_without_destinations_can_still_change_other_things_BF_5()
    {
        var current = Current(forwarding: true); // forced to none earlier

        ContractValidator.RequireDestinationsWhileForwarding(current, current.ToDefinition() with { Channels = 2 }, force: false);
    }
}
