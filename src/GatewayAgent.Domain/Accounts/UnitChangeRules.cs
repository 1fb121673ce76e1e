namespace GatewayAgent.Domain.Accounts;

/// <summary>
/// SS-9: the six changes of authentication unit (SS-1), each by entering password(s), and what each does to the
/// numbers' passwords. One truth for the site's page and the account store:
/// <list type="bullet">
/// <item>number → line: the passwords of all numbers; afterwards the contract number logs in, with the password of
/// the number used to make the change; the additional numbers' own passwords become invalid (they no longer log in);</item>
/// <item>number → admin/user: the passwords of all numbers; each number keeps its password;</item>
/// <item>line → number: the line-unit password; every number gets it;</item>
/// <item>line → admin/user: the line-unit password; every number with an account gets it, a number that never had
/// one needs a temporary password by phone (SS-3) first;</item>
/// <item>admin/user → number: only from the contract number (the admin), with its password; each number keeps its
/// password;</item>
/// <item>admin/user → line: only from the contract number, with its password; the contract number's password remains,
/// the additional numbers' passwords become invalid.</item>
/// </list>
/// </summary>
public static class UnitChangeRules
{
    public const string SameUnitRefusal = "現在と同じ認証単位です。";

    public const string AdminOnlyRefusal = "管理者／ユーザ単位からの変更は、契約電話番号でログインした場合のみ行えます。";

    public const string LineLoginRefusal = "回線単位からの変更は、契約電話番号でログインした場合のみ行えます。";

    /// <summary>
    /// The plan of changing the contract from <paramref name="from"/> to <paramref name="to"/> by the login
    /// <paramref name="loginNumber"/>; <paramref name="numbers"/> are the contract's numbers and
    /// <paramref name="hasAccount"/> tells which of them have a settings-site account.
    /// </summary>
    public static UnitChangePlan Plan(
        AuthenticationUnit from, AuthenticationUnit to, string loginNumber, string contractNumber, IReadOnlyList<string> numbers, Func<string, bool> hasAccount)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        ArgumentNullException.ThrowIfNull(hasAccount);
        var proof = from == AuthenticationUnit.Number ? UnitChangeProof.AllPasswords : UnitChangeProof.LoginPassword;
        string? refusal = null;
        if (from == to || !Enum.IsDefined(to) || !Enum.IsDefined(from))
        {
            refusal = SameUnitRefusal;
        }
        else if (from == AuthenticationUnit.AdminUser && loginNumber != contractNumber)
        {
            refusal = AdminOnlyRefusal;
        }
        else if (from == AuthenticationUnit.Line && loginNumber != contractNumber)
        {
            refusal = LineLoginRefusal;
        }

        var outcomes = new Dictionary<string, UnitChangeOutcome>(StringComparer.Ordinal);
        foreach (var number in numbers)
        {
            var isContract = number == contractNumber;
            outcomes[number] = (from, to) switch
            {
                (AuthenticationUnit.Number, AuthenticationUnit.Line) =>
                    isContract ? (loginNumber == contractNumber ? UnitChangeOutcome.Keep : UnitChangeOutcome.ActorsPassword) : UnitChangeOutcome.Invalidated,
                (AuthenticationUnit.Line, AuthenticationUnit.Number) =>
                    isContract ? UnitChangeOutcome.Keep : UnitChangeOutcome.ActorsPassword,
                (AuthenticationUnit.Line, AuthenticationUnit.AdminUser) =>
                    isContract ? UnitChangeOutcome.Keep : hasAccount(number) ? UnitChangeOutcome.ActorsPassword : UnitChangeOutcome.NeedsTemporaryPassword,
                (AuthenticationUnit.AdminUser, AuthenticationUnit.Line) =>
                    isContract ? UnitChangeOutcome.Keep : UnitChangeOutcome.Invalidated,
                _ => hasAccount(number) ? UnitChangeOutcome.Keep : UnitChangeOutcome.NeedsTemporaryPassword,
            };
        }

        return new UnitChangePlan(from, to, proof, outcomes, refusal);
    }

    /// <summary>The Japanese sentence the site shows for what <paramref name="outcome"/> does to a number's password.</summary>
    public static string Describe(UnitChangeOutcome outcome) => outcome switch
    {
        UnitChangeOutcome.Keep => "現在のパスワードのまま",
        UnitChangeOutcome.ActorsPassword => "変更に使うログイン中の電話番号のパスワードになります",
        UnitChangeOutcome.Invalidated => "パスワードは無効になります",
        UnitChangeOutcome.NeedsTemporaryPassword => "パスワード未設定：ご利用の前に電話で仮パスワードを設定してください",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
