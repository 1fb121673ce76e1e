namespace GatewayAgent.Domain.Accounts;

/// <summary>
/// SS-1 and SS-2: what a login may manage, decided from its unit, the number it logged in with and its contract's
/// number. Every page handler asks these, never the menu.
/// </summary>
public static class AccessRules
{
    /// <summary>
    /// SS-2: bulk-forward and failure-notification settings (the contract's settings) are open only to a line-unit login,
    /// a number-unit login with the contract number and an admin/user-unit login with the contract number.
    /// </summary>
    public static bool CanManageContractSettings(AuthenticationUnit unit, string loginNumber, string contractNumber) => unit switch
    {
        AuthenticationUnit.Line => loginNumber == contractNumber,
        AuthenticationUnit.Number or AuthenticationUnit.AdminUser => loginNumber == contractNumber,
        _ => false,
    };

    /// <summary>
    /// SS-1: whether the login may manage <paramref name="number"/>: a line-unit login (the contract number) manages every
    /// number of the contract; a number-unit login only its own number; in the admin/user unit the contract number (the
    /// admin) manages every number, an additional number (a user) only itself.
    /// </summary>
    public static bool CanManageNumber(AuthenticationUnit unit, string loginNumber, string contractNumber, string number) => unit switch
    {
        AuthenticationUnit.Line => loginNumber == contractNumber,
        AuthenticationUnit.Number => number == loginNumber,
        AuthenticationUnit.AdminUser => loginNumber == contractNumber || number == loginNumber,
        _ => false,
    };

    /// <summary>SS-1: whether <paramref name="number"/> may log in at all in <paramref name="unit"/> (line unit: the contract number only).</summary>
    public static bool CanLogIn(AuthenticationUnit unit, string number, string contractNumber) =>
        unit != AuthenticationUnit.Line || number == contractNumber;

    /// <summary>SS-10: whether the login may change the password of <paramref name="number"/>: its own, or, as the admin of the admin/user unit, every number's.</summary>
    public static bool CanChangePasswordOf(AuthenticationUnit unit, string loginNumber, string contractNumber, string number) =>
        number == loginNumber || (unit == AuthenticationUnit.AdminUser && loginNumber == contractNumber);

    /// <summary>
    /// SS-8 (with SS-1): whether the login manages every number of its contract, and so may set the one-time-password
    /// settings of all of them by CSV: a line-unit login, or the admin (contract number) of the admin/user unit.
    /// </summary>
    public static bool ManagesAllNumbers(AuthenticationUnit unit, string loginNumber, string contractNumber) =>
        loginNumber == contractNumber && unit is (AuthenticationUnit.Line or AuthenticationUnit.AdminUser);
}
