using GatewayAgent.Domain.Customers;

namespace GatewayAgent.Domain.Tests.Customers;

[Trait("Ring", "unit")]
public sealed class NuisanceCallerListTests
{
    [Fact]
    public void Callers_are_normalised_and_each_kept_once_in_first_place_BF_10()
    {
        var check = NuisanceCallerList.Check(["090-1111-2222", "０３－１１１１－２２２２", "+81 90 1111 2222", "(03) 1111 2222"], probeCaller: null);

        Assert.Empty(check.Breaches);
        Assert.Equal(["09011112222", "0311112222"], check.Callers);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("12345")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("+1 212 555 0100")]
    [InlineData("#1234")]
    [InlineData("031111222233")]
    public void Anything_but_a_subscriber_number_is_refused_with_its_index(string? caller)
    {
        var check = NuisanceCallerList.Check(["0311112222", caller], probeCaller: null);

        Assert.Equal([new NuisanceCallerBreach(1, "format", "10 or 11 digits starting with 0 (hyphens allowed)")], check.Breaches);
        Assert.Equal(["0311112222"], check.Callers);
    }

    [Theory]
    [InlineData("05012345678")]
    [InlineData("+81-50-1234-5678")]
    public void The_probe_caller_cannot_be_listed_in_any_notation_FN_12(string probeCaller)
    {
        var check = NuisanceCallerList.Check(["0311112222", "050 1234 5678"], probeCaller);

        var breach = Assert.Single(check.Breaches);
        Assert.Equal((1, "FN-12"), (breach.Index, breach.Rule));
    }

    [Fact]
    public void A_probe_caller_that_is_no_number_refuses_nothing_FN_12() =>
        Assert.Empty(NuisanceCallerList.Check(["05012345678"], probeCaller: "probe").Breaches);

    [Fact]
    public void The_list_is_bounded()
    {
        var full = Enumerable.Range(0, NuisanceCallerList.MaxCallers).Select(i => $"090{i:D8}").ToList();
        Assert.Empty(NuisanceCallerList.Check(full, null).Breaches);

        var check = NuisanceCallerList.Check([.. full, "0311112222"], null);

        Assert.Equal([new NuisanceCallerBreach(null, "range", "at most 1000 nuisance callers")], check.Breaches);
        Assert.Empty(check.Callers);
    }
}
