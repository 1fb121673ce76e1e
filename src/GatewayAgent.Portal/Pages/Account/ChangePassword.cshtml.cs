using System.ComponentModel.DataAnnotations;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Forms;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Pages.Account;

/// <summary>
/// SS-10: password change with the current password and the new one twice, under SS-5's rules. The admin of the
/// admin/user unit (the contract number) also changes every other number's password (<c>?number=</c>), confirming with
/// the admin's own current password. SS-4: the page a temporary or expired password is sent to before anything else.
/// </summary>
public sealed class ChangePasswordModel(PortalAccountStore accounts) : VersionedFormPageModel
{
    [BindProperty]
    public string? Target { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "現在のパスワードを入力してください。")]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "新しいパスワードを入力してください。")]
    public string? NewPassword { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "新しいパスワード（確認）を入力してください。")]
    public string? ConfirmPassword { get; set; }

    public PortalUser Login { get; private set; } = null!;

    /// <summary>The numbers the admin can choose from (empty for any other login), with whether each has an account.</summary>
    public IReadOnlyList<(string Number, bool HasAccount)> Choices { get; private set; } = [];

    public IReadOnlyList<string> PolicyMessages { get; } =
    [
        $"{PasswordPolicy.MinLength}～{PasswordPolicy.MaxLength}文字の半角英数字（数字のみは不可）",
        "同じ文字の4文字以上の連続（0000、aaaa など）は不可",
        "4文字以上の連続する昇順・降順（1234、abcd、4321 など）は不可",
        "電話番号を含むものは不可",
        "現在のパスワードと同じものは不可",
        $"有効期限は{PasswordPolicy.Validity.TotalDays:0}日です。期限が過ぎると変更が必要になります。",
    ];

    public async Task<IActionResult> OnGetAsync(string? number, CancellationToken cancellationToken)
    {
        var target = await LoadAsync(number, cancellationToken);
        if (target is null)
        {
            return Forbid();
        }

        FormVersion = target.RowVersion;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var target = await LoadAsync(Target, cancellationToken);
        if (target is null)
        {
            return Forbid();
        }

        if (target.RowVersion != FormVersion)
        {
            return StaleForm(target.RowVersion);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await accounts.ChangePasswordAsync(
            new PasswordChange(Login.Number, target.Number, CurrentPassword!, NewPassword!, ConfirmPassword!, FormVersion), cancellationToken);
        switch (result.Outcome)
        {
            case PasswordChangeOutcome.Changed:
                break;
            case PasswordChangeOutcome.Stale:
                return StaleForm(result.Account?.RowVersion ?? target.RowVersion);
            case PasswordChangeOutcome.Forbidden:
                return Forbid();
            case PasswordChangeOutcome.WrongCurrentPassword:
                ModelState.AddModelError(nameof(CurrentPassword), "現在のパスワードが正しくありません。");
                return Page();
            case PasswordChangeOutcome.ConfirmationMismatch:
                ModelState.AddModelError(nameof(ConfirmPassword), "新しいパスワードと確認用のパスワードが一致しません。");
                return Page();
            default:
                foreach (var breach in result.Breaches)
                {
                    ModelState.AddModelError(nameof(NewPassword), PasswordPolicy.Message(breach));
                }

                return Page();
        }

        if (target.Number == Login.Number)
        {
            // The stamp changed with the password: the session goes on under the new one, with the change done (SS-4).
            await HttpContext.SignInAsync(
                CookieAuthenticationDefaults.AuthenticationScheme,
                PortalUser.Principal(result.Account!, PortalClaims.ViaPassword, null, CookieAuthenticationDefaults.AuthenticationScheme));
        }

        TempData["Notice"] = $"{target.Number} のパスワードを変更しました。";
        return RedirectToPage("/Index");
    }

    /// <summary>The target account when this login may change its password (SS-10), else null.</summary>
    private async Task<PortalAccount?> LoadAsync(string? number, CancellationToken cancellationToken)
    {
        Login = PortalUser.From(User)!;
        var targetNumber = string.IsNullOrEmpty(number) ? Login.Number : number;
        if (!AccessRules.CanChangePasswordOf(Login.Unit, Login.Number, Login.ContractNumber, targetNumber))
        {
            return null;
        }

        var target = await accounts.FindAsync(targetNumber, cancellationToken);
        if (target is null || target.ContractId != Login.ContractId)
        {
            return null;
        }

        Target = target.Number;
        if (Login.IsAdmin)
        {
            var withAccount = (await accounts.ListAsync(Login.ContractId, cancellationToken)).Select(a => a.Number).ToHashSet(StringComparer.Ordinal);
            Choices = (await accounts.ContractNumbersAsync(Login.ContractId, cancellationToken)).Select(n => (n, withAccount.Contains(n))).ToList();
        }

        return target;
    }
}
