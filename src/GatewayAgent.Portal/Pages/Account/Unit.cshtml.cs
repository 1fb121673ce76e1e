using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Forms;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Pages.Account;

/// <summary>
/// SS-9: the change of authentication unit. The page shows, for the unit chosen, what <see cref="UnitChangeRules"/>
/// decides (who may, the passwords asked, each number's password afterwards) and posts the passwords; the store
/// checks it all again. A login that can no longer log in afterwards (number → line from an additional number) is
/// signed out and told to log in with the contract number.
/// </summary>
public sealed class UnitModel(PortalAccountStore accounts) : VersionedFormPageModel
{
    [BindProperty(SupportsGet = true)]
    public AuthenticationUnit? To { get; set; }

    [BindProperty]
    public Dictionary<string, string> Passwords { get; set; } = [];

    public PortalUser Login { get; private set; } = null!;

    public IReadOnlyList<AuthenticationUnit> Targets { get; private set; } = [];

    public UnitChangePlan? Plan { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var version = await LoadAsync(cancellationToken);
        if (Plan is null)
        {
            return RedirectToPage();
        }

        if (version != FormVersion)
        {
            return StaleForm(version);
        }

        var result = await accounts.ChangeUnitAsync(new UnitChange(Login.Number, Plan.To, Passwords, FormVersion), cancellationToken);
        switch (result.Status)
        {
            case UnitChangeStatus.Changed:
                break;
            case UnitChangeStatus.Stale:
                return StaleForm(await LoadAsync(cancellationToken));
            case UnitChangeStatus.Refused:
                ModelState.AddModelError(string.Empty, result.Message ?? UnitChangeRules.AdminOnlyRefusal);
                return Page();
            case UnitChangeStatus.MissingPassword:
                ModelState.AddModelError(string.Empty, $"パスワードが設定されていない電話番号があります（{string.Join("、", result.Numbers)}）。電話で仮パスワードを設定し、パスワードを変更してから、もう一度操作してください。");
                return Page();
            default:
                ModelState.AddModelError(string.Empty, $"パスワードが正しくありません（{string.Join("、", result.Numbers)}）。");
                FormVersion = await LoadAsync(cancellationToken);
                return Page();
        }

        var message = $"認証単位を{IndexModel.UnitName(Plan.To)}に変更しました。";
        if (!AccessRules.CanLogIn(Plan.To, Login.Number, Login.ContractNumber)
            || Plan.Outcomes.GetValueOrDefault(Login.Number) == UnitChangeOutcome.Invalidated)
        {
            await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            TempData["Notice"] = message + $"契約電話番号（{Login.ContractNumber}）と、変更に使ったパスワードでログインしてください。";
            return RedirectToPage("/Account/Login");
        }

        Notice = message;
        return RedirectToPage("/Index");
    }

    /// <summary>Reads the login, the targets, the plan for <see cref="To"/>; returns the version of the contract's accounts.</summary>
    private async Task<long> LoadAsync(CancellationToken cancellationToken)
    {
        Login = PortalUser.From(User)!;
        Targets = Enum.GetValues<AuthenticationUnit>().Where(u => u != Login.Unit).ToList();
        var list = await accounts.ListAsync(Login.ContractId, cancellationToken);
        var version = PortalAccountStore.AccountsVersion(list);
        if (To is { } to && to != Login.Unit && Enum.IsDefined(to))
        {
            var numbers = await accounts.ContractNumbersAsync(Login.ContractId, cancellationToken);
            var withAccount = list.Select(a => a.Number).ToHashSet(StringComparer.Ordinal);
            Plan = UnitChangeRules.Plan(Login.Unit, to, Login.Number, Login.ContractNumber, numbers, withAccount.Contains);
        }

        if (FormVersion == 0 && HttpMethods.IsGet(Request.Method))
        {
            FormVersion = version;
        }

        return version;
    }
}
