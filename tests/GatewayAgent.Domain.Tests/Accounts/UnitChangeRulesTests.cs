using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Domain.Tests.Accounts;

/// <summary>SS-9: the six changes of authentication unit, what each asks for and what each does to the passwords.</summary>
[Trait("Ring", "unit")]
public sealed class UnitChangeRulesTests
{
    private const string Contract = "0312345678";
    private const string Additional = "0312345679";
    private const string Third = "0312345670";
    private static readonly string[] Numbers = [Contract, Additional, Third];

    [Fact]
    public void Number_to_line_needs_all_passwords_and_the_contract_gets_the_password_of_the_number_used_SS_9()
    {
        var plan = Plan(AuthenticationUnit.Number, AuthenticationUnit.Line, Additional);
        Assert.True(plan.Allowed);
        Assert.Equal(UnitChangeProof.AllPasswords, plan.Proof);
        Assert.Equal(UnitChangeOutcome.ActorsPassword, plan.Outcomes[Contract]);
        Assert.Equal(UnitChangeOutcome.Invalidated, plan.Outcomes[Additional]);
        Assert.Equal(UnitChangeOutcome.Keep, Plan(AuthenticationUnit.Number, AuthenticationUnit.Line, Contract).Outcomes[Contract]);
    }

    [Fact]
    public void Number_to_admin_user_needs_all_passwords_and_each_keeps_its_own_SS_9()
    {
        var plan = Plan(AuthenticationUnit.Number, AuthenticationUnit.AdminUser, Additional);
        Assert.True(plan.Allowed);
        Assert.Equal(UnitChangeProof.AllPasswords, plan.Proof);
        Assert.All(plan.Outcomes.Values, o => Assert.Equal(UnitChangeOutcome.Keep, o));
    }

    [Fact]
    public void Line_to_number_gives_every_number_the_line_password_SS_9()
    {
        var plan = Plan(AuthenticationUnit.Line, AuthenticationUnit.Number, Contract, hasAccount: n => n == Contract);
        Assert.Equal(UnitChangeProof.LoginPassword, plan.Proof);
        Assert.Equal(UnitChangeOutcome.Keep, plan.Outcomes[Contract]);
        Assert.Equal(UnitChangeOutcome.ActorsPassword, plan.Outcomes[Additional]);
        Assert.Equal(UnitChangeOutcome.ActorsPassword, plan.Outcomes[Third]);
    }

    [Fact]
    public void Line_to_admin_user_gives_the_line_password_to_numbers_with_an_account_others_need_a_temporary_one_SS_9()
    {
        var plan = Plan(AuthenticationUnit.Line, AuthenticationUnit.AdminUser, Contract, hasAccount: n => n != Third);
        Assert.Equal(UnitChangeOutcome.Keep, plan.Outcomes[Contract]);
        Assert.Equal(UnitChangeOutcome.ActorsPassword, plan.Outcomes[Additional]);
        Assert.Equal(UnitChangeOutcome.NeedsTemporaryPassword, plan.Outcomes[Third]);
    }

    [Fact]
    public void Admin_user_to_number_only_from_the_contract_number_each_keeps_its_password_SS_9()
    {
        Assert.Equal(UnitChangeRules.AdminOnlyRefusal, Plan(AuthenticationUnit.AdminUser, AuthenticationUnit.Number, Additional).Refusal);
        var plan = Plan(AuthenticationUnit.AdminUser, AuthenticationUnit.Number, Contract);
        Assert.True(plan.Allowed);
        Assert.Equal(UnitChangeProof.LoginPassword, plan.Proof);
        Assert.All(plan.Outcomes.Values, o => Assert.Equal(UnitChangeOutcome.Keep, o));
    }

    [Fact]
    public void Admin_user_to_line_only_from_the_contract_number_the_others_are_invalidated_SS_9()
    {
        Assert.False(Plan(AuthenticationUnit.AdminUser, AuthenticationUnit.Line, Additional).Allowed);
        var plan = Plan(AuthenticationUnit.AdminUser, AuthenticationUnit.Line, Contract);
        Assert.Equal(UnitChangeOutcome.Keep, plan.Outcomes[Contract]);
        Assert.Equal(UnitChangeOutcome.Invalidated, plan.Outcomes[Additional]);
        Assert.Equal(UnitChangeOutcome.Invalidated, plan.Outcomes[Third]);
    }

    [Fact]
    public void The_same_unit_is_no_change_and_every_outcome_has_a_sentence_SS_9()
    {
        Assert.Equal(UnitChangeRules.SameUnitRefusal, Plan(AuthenticationUnit.Line, AuthenticationUnit.Line, Contract).Refusal);
        Assert.All(Enum.GetValues<UnitChangeOutcome>(), o => Assert.False(string.IsNullOrWhiteSpace(UnitChangeRules.Describe(o))));
    }

    private static UnitChangePlan Plan(AuthenticationUnit from, AuthenticationUnit to, string login, Func<string, bool>? hasAccount = null) =>
        UnitChangeRules.Plan(from, to, login, Contract, Numbers, hasAccount ?? (_ => true));
}
