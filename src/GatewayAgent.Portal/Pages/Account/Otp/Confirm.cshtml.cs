using GatewayAgent.Controller.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>
/// SS-7: the mailed confirmation link (valid 24 h, once). It opens without a login, wherever the mail is read; the GET
/// only shows a button, so a mail scanner that fetches links does not complete the registration — the POST (with the
/// antiforgery token) does.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmModel(OtpStore otp) : PageModel
{
    public const string ExpiredMessage =
        "このURLは無効です（有効期限の24時間が過ぎたか、すでに使われています）。設定サイトにログインして、もう一度お手続きをしてください。";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public OtpOutcome? Outcome { get; private set; }

    public IActionResult OnGet()
    {
        if (string.IsNullOrEmpty(Token))
        {
            Outcome = OtpOutcome.Expired;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Outcome = (await otp.ConfirmAsync(Token ?? "", cancellationToken)).Outcome;
        if (Outcome != OtpOutcome.Done)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
        }

        return Page();
    }
}
