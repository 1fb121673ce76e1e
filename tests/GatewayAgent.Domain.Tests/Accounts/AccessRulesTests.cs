using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Domain.Tests.Accounts;

[Trait("Ring", "unit")]
public sealed class AccessRulesTests
{
    private const string Contract = "0312345678";
    private const string Additional = "0312345679";

    [Theory]
    [InlineData(AuthenticationUnit.Line, Contract, true)]
    [InlineData(AuthenticationUnit.Number, Contract, true)]
    [InlineData(AuthenticationUnit.Number, Additional, false)]
    [InlineData(AuthenticationUnit.AdminUser, Contract, true)]
    [InlineData(AuthenticationUnit.AdminUser, Additional, false)]
    public void Contract_settings_are_open_to_the_contract_number_only_SS_2(AuthenticationUnit unit, string login, bool expected) =>
        Assert.Equal(expected, AccessRules.CanManageContractSettings(unit, login, Contract));

    [Theory]
    [InlineData(AuthenticationUnit.Line, Contract, Additional, true)]
    [InlineData(AuthenticationUnit.Number, Contract, Additional, false)]
    [InlineData(AuthenticationUnit.Number, Additional, Additional, true)]
    [InlineData(AuthenticationUnit.AdminUser, Contract, Additional, true)]
    [InlineData(AuthenticationUnit.AdminUser, Additional, Contract, false)]
    [InlineData(AuthenticationUnit.AdminUser, Additional, Additional, true)]
    public void Each_unit_manages_the_numbers_SS_1_gives_it(AuthenticationUnit unit, string login, string number, bool expected) =>
        Assert.Equal(expected, AccessRules.CanManageNumber(unit, login, Contract, number));

    [Fact]
    public void The_line_unit_logs_in_with_the_contract_number_only_SS_1()
    {
        Assert.True(AccessRules.CanLogIn(AuthenticationUnit.Line, Contract, Contract));
        Assert.False(AccessRules.CanLogIn(AuthenticationUnit.Line, Additional, Contract));
        Assert.True(AccessRules.CanLogIn(AuthenticationUnit.Number, Additional, Contract));
    }

    [Theory]
    [InlineData(AuthenticationUnit.AdminUser, Contract, Additional, true)]
    [InlineData(AuthenticationUnit.AdminUser, Additional, Contract, false)]
    [InlineData(AuthenticationUnit.Number, Contract, Additional, false)]
    [InlineData(AuthenticationUnit.Number, Additional, Additional, true)]
    public void Only_the_admin_changes_other_numbers_passwords_SS_10(AuthenticationUnit unit, string login, string number, bool expected) =>
        Assert.Equal(expected, AccessRules.CanChangePasswordOf(unit, login, Contract, number));

    [Theory]
    [InlineData(AuthenticationUnit.Line, Contract, true)]
    [InlineData(AuthenticationUnit.AdminUser, Contract, true)]
    [InlineData(AuthenticationUnit.AdminUser, Additional, false)]
    [InlineData(AuthenticationUnit.Number, Contract, false)]
    [InlineData(AuthenticationUnit.Number, Additional, false)]
    public void Only_a_login_managing_every_number_sets_the_OTP_CSV_SS_8(AuthenticationUnit unit, string login, bool expected)
    {
        Assert.Equal(expected, AccessRules.ManagesAllNumbers(unit, login, Contract));
        if (expected)
        {
            Assert.True(new[] { Contract, Additional }.All(n => AccessRules.CanManageNumber(unit, login, Contract, n)));
        }
    }
}
