using GatewayAgent.Controller.Accounts;
using GatewayAgent.Portal.Forms;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>SS-7: the confirmation ID and the confirmation password, each changed with its old value and the new one twice.</summary>
public sealed class CredentialsModel(OtpStore otp) : VersionedFormPageModel
{
    [BindProperty]
    public string? CurrentId { get; set; }

    [BindProperty]
    public string? NewId { get; set; }

    [BindProperty]
    public string? NewIdAgain { get; set; }

    [BindProperty]
    public string? CurrentSecret { get; set; }

    [BindProperty]
    public string? NewSecret { get; set; }

    [BindProperty]
    public string? NewSecretAgain { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        FormVersion = (await otp.GetAsync(PortalUser.From(User)!.Number, cancellationToken)).RowVersion;
        return Page();
    }

    public async Task<IActionResult> OnPostIdAsync(CancellationToken cancellationToken)
    {
        var login = PortalUser.From(User)!;
        return Answer(await otp.ChangeConfirmationIdAsync(
            login.Number, login.Number, CurrentId ?? "", NewId ?? "", NewIdAgain ?? "", FormVersion, cancellationToken), "確認用IDを変更しました。");
    }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken cancellationToken)
    {
        var login = PortalUser.From(User)!;
        return Answer(await otp.ChangeConfirmationPasswordAsync(
            login.Number, login.Number, CurrentSecret ?? "", NewSecret ?? "", NewSecretAgain ?? "", FormVersion, cancellationToken), "確認用パスワードを変更しました。");
    }

    private IActionResult Answer(OtpResult result, string done)
    {
        switch (result.Outcome)
        {
            case OtpOutcome.Done:
                Notice = done;
                return RedirectToPage();
            case OtpOutcome.Stale:
                return StaleForm(result.State?.RowVersion ?? FormVersion);
            default:
                OtpPageText.AddErrors(ModelState, result);
                return Page();
        }
    }
}
