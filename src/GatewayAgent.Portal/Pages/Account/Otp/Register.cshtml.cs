using GatewayAgent.Controller.Accounts;
using GatewayAgent.Portal.Forms;
using GatewayAgent.Portal.Hosting;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>
/// SS-7: registration of the receiving address, confirmation ID and confirmation password; the confirmation link is
/// mailed through the outbox (24 h). Refused while a confirmed registration exists (its changes have their own pages).
/// </summary>
public sealed class RegisterModel(OtpStore otp, IOptions<PortalOptions> options) : VersionedFormPageModel
{
    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? ConfirmationId { get; set; }

    [BindProperty]
    public string? ConfirmationPassword { get; set; }

    [BindProperty]
    public string? ConfirmationPasswordAgain { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var state = await otp.GetAsync(PortalUser.From(User)!.Number, cancellationToken);
        FormVersion = state.RowVersion;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var login = PortalUser.From(User)!;
        var result = await otp.RegisterAsync(
            login.Number, login.Number,
            new OtpRegistration(Address ?? "", ConfirmationId ?? "", ConfirmationPassword ?? "", ConfirmationPasswordAgain ?? ""),
            FormVersion, OtpLinks.For(options.Value), cancellationToken);
        switch (result.Outcome)
        {
            case OtpOutcome.Done:
                TempData["Notice"] = $"仮登録しました。{result.State!.PendingAddress} に届く「メールアドレスの本登録お手続きURL」を24時間以内に開いて、本登録を完了してください。";
                return RedirectToPage("/Account/Otp/Index");
            case OtpOutcome.Stale:
                return StaleForm(result.State?.RowVersion ?? FormVersion);
            case OtpOutcome.Forbidden:
                ModelState.AddModelError(string.Empty, "ワンタイムパスワードの利用情報は登録済みです。変更は「ワンタイムパスワード」のメニューから行ってください。");
                return Page();
            default:
                OtpPageText.AddErrors(ModelState, result);
                return Page();
        }
    }
}
