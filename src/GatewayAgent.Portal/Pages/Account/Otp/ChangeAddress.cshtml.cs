using GatewayAgent.Controller.Accounts;
using GatewayAgent.Portal.Forms;
using GatewayAgent.Portal.Hosting;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>
/// SS-7: a new receiving address with the confirmation ID and password, then the confirmation-link step again. Open
/// also at login before the code (the guide's "change address" on the send page), for a customer whose mailbox is gone.
/// </summary>
public sealed class ChangeAddressModel(OtpStore otp, IOptions<PortalOptions> options) : VersionedFormPageModel
{
    [BindProperty]
    public string? ConfirmationId { get; set; }

    [BindProperty]
    public string? ConfirmationPassword { get; set; }

    [BindProperty]
    public string? NewAddress { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        FormVersion = (await otp.GetAsync(PortalUser.From(User)!.Number, cancellationToken)).RowVersion;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var login = PortalUser.From(User)!;
        var result = await otp.ChangeAddressAsync(
            login.Number, login.Number, ConfirmationId ?? "", ConfirmationPassword ?? "", NewAddress ?? "", FormVersion, OtpLinks.For(options.Value),
            cancellationToken);
        switch (result.Outcome)
        {
            case OtpOutcome.Done:
                var notice = $"{result.State!.PendingAddress} に「メールアドレスの本登録お手続きURL」を送信しました。24時間以内に開いて本登録を完了してください。";
                TempData["Notice"] = notice;
                return RedirectToPage(login.OtpPending ? "/Account/Otp/Verify" : "/Account/Otp/Index");
            case OtpOutcome.Stale:
                return StaleForm(result.State?.RowVersion ?? FormVersion);
            default:
                OtpPageText.AddErrors(ModelState, result);
                return Page();
        }
    }
}
