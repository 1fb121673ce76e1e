using GatewayAgent.Domain.Customers;

namespace GatewayAgent.Domain.Tests.Customers;

[Trait("Ring", "unit")]
public sealed class ContractInvariantsTests
{
    private static readonly string[] Own = ["0312345678", "0312345679", "0312345670"];

    [Theory]
    [InlineData("0312345678")]
    [InlineData("0312345670")]
    public void The_monitoring_number_is_one_of_the_contracts_own_numbers_FN_2(string monitoring) =>
        Assert.Null(ContractInvariants.CheckMonitoringNumber(Own, monitoring));

    [Fact]
    public void A_number_of_another_contract_cannot_be_monitored_FN_2() =>
        Assert.NotNull(ContractInvariants.CheckMonitoringNumber(Own, "0399999999"));

    [Fact]
    public void Destination_sources_are_own_numbers_at_most_once_and_never_the_monitoring_number_BF_2_BF_14()
    {
        string?[] sources = ["0312345678", "0399999999", "0312345678", "0312345670", null, "0312345679"];

        var breaches = ContractInvariants.CheckDestinationSources(sources, Own, monitoringNumber: "0312345670");

        Assert.Equal(
            [(1, "BF-2"), (2, "BF-2"), (3, "BF-14"), (4, "BF-2")],
            breaches.Select(b => (b.Index, b.Rule)));
        Assert.Contains("at most one per number", breaches[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_within_the_rules_has_no_breach() =>
        Assert.Empty(ContractInvariants.CheckDestinationSources(["0312345678", "0312345679"], Own, "0312345670"));

    [Theory]
    [InlineData("sip:0312345670@192.0.2.10:5060", "03-1234-5679", "sip:0312345679@192.0.2.10:5060")]
    [InlineData("sips:0312345670@agent.example.jp", "0312345679", "sips:0312345679@agent.example.jp")]
    [InlineData("sip:192.0.2.10:5060", "0312345679", "sip:192.0.2.10:5060")] // no user part: the validator fills it in
    [InlineData("sip:0312345670@192.0.2.10", null, "sip:0312345670@192.0.2.10")]
    [InlineData(null, "0312345679", null)]
    public void The_probe_follows_the_monitoring_number_FN_2(string? target, string? monitoring, string? expected) =>
        Assert.Equal(expected, ContractInvariants.RetargetProbe(target, monitoring));
}
