using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages;

/// <summary>The home page: the login, its unit, and the numbers it manages (SS-1).</summary>
public sealed class IndexModel(PortalAccountStore accounts, TimeProvider time) : PageModel
{
    public PortalUser Login { get; private set; } = null!;

    public IReadOnlyList<string> ManagedNumbers { get; private set; } = [];

    public PortalAccount? Account { get; private set; }

    public DateTimeOffset Now { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public static string UnitName(AuthenticationUnit unit) => unit switch
    {
        AuthenticationUnit.Line => "回線単位",
        AuthenticationUnit.Number => "電話番号単位",
        AuthenticationUnit.AdminUser => "管理者／ユーザ単位",
        _ => unit.ToString(),
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Login = PortalUser.From(User)!;
        Now = time.GetUtcNow();
        Account = await accounts.FindAsync(Login.Number, cancellationToken);
        ManagedNumbers = (await accounts.ContractNumbersAsync(Login.ContractId, cancellationToken)).Where(Login.CanManageNumber).ToList();
        return Page();
    }
}
