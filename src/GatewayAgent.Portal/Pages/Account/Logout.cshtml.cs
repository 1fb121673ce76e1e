using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages.Account;

/// <summary>SS-11: the explicit logout (a POST with the antiforgery token; there is no GET logout a link could trigger).</summary>
public sealed class LogoutModel : PageModel
{
    [TempData]
    public string? Notice { get; set; }

    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        Notice = "ログアウトしました。";
        return RedirectToPage("/Account/Login");
    }
}
