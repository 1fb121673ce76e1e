using GatewayAgent.Controller.Accounts;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>SS-7: the login's one-time-password settings and the ways to change them.</summary>
public sealed class IndexModel(OtpStore otp) : PageModel
{
    public PortalUser Login { get; private set; } = null!;

    public OtpState State { get; private set; } = null!;

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Login = PortalUser.From(User)!;
        State = await otp.GetAsync(Login.Number, cancellationToken);
        return Page();
    }
}
