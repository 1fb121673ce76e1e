using System.ComponentModel.DataAnnotations;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages.Account;

/// <summary>
/// SS-4: login with the number (digits, no hyphens) and the password, or the temporary password the first time. Every
/// failure shows the same message, whatever the reason (SS-6).
/// </summary>
[AllowAnonymous]
public sealed class LoginModel(PortalAccountStore accounts) : PageModel
{
    public const string FailedMessage =
        "電話番号またはパスワードが正しくありません。パスワードを10回、仮パスワードを3回続けて誤ると無効になります。無効になった場合や仮パスワードの有効期限（24時間）が過ぎた場合は、電話で仮パスワードを設定し直してください。";

    [BindProperty]
    [Required(ErrorMessage = "電話番号を入力してください。")]
    [RegularExpression("^0[0-9]{9,10}$", ErrorMessage = "電話番号は市外局番から、ハイフンなしの半角数字で入力してください（例：0312345678）。")]
    [Display(Name = "電話番号")]
    public string? Number { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "パスワードを入力してください。")]
    [Display(Name = "パスワード")]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when a session cookie came back expired (idle logout, SS-11) or ended.</summary>
    [BindProperty(SupportsGet = true, Name = PortalCookieEvents.EndedQuery)]
    public string? Ended { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await accounts.LoginAsync(Number!, Password!, cancellationToken);
        if (result.Account is not { } account)
        {
            ModelState.AddModelError(string.Empty, FailedMessage);
            return Page();
        }

        var via = result.MustChange == PasswordChangeReason.Temporary ? PortalClaims.ViaTemporary : PortalClaims.ViaPassword;

        // SS-7: with the one-time password in use, the password is the first step only. A temporary password is not
        // asked for a code: it was set by a call from the contract's own line (SS-3), itself a second factor, and it is
        // the way back in when the receiving address is lost (SS-6's recovery).
        var otpPending = account.OtpActive && via == PortalClaims.ViaPassword;
        await HttpContext.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            PortalUser.Principal(account, via, result.MustChange, CookieAuthenticationDefaults.AuthenticationScheme, otpPending));
        if (otpPending)
        {
            return RedirectToPage(Security.OtpGate.VerifyPage);
        }

        if (result.MustChange is not null)
        {
            return RedirectToPage("/Account/ChangePassword");
        }

        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Index");
    }
}
