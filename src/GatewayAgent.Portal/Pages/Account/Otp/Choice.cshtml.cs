using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Forms;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>
/// SS-7: the choice at the first login (after the forced password change, <see cref="OtpGate"/>), and its change later
/// (ワンタイムパスワード利用選択変更). "Use" goes on to the registration unless one exists; "don't use" needs the explicit agree.
/// </summary>
public sealed class ChoiceModel(OtpStore otp) : VersionedFormPageModel
{
    [BindProperty]
    public string? Usage { get; set; }

    [BindProperty]
    public bool Agree { get; set; }

    public PortalUser Login { get; private set; } = null!;

    public string Current { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var state = await LoadAsync(cancellationToken);
        FormVersion = state.RowVersion;
        Usage = state.Usage == OtpUsage.NotUsed ? "decline" : "use";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var state = await LoadAsync(cancellationToken);
        if (state.RowVersion != FormVersion)
        {
            return StaleForm(state.RowVersion);
        }

        if (Usage is not ("use" or "decline"))
        {
            ModelState.AddModelError(nameof(Usage), "利用する・利用しないのどちらかを選択してください。");
            return Page();
        }

        if (Usage == "use" && !state.Registered)
        {
            return RedirectToPage("/Account/Otp/Register");
        }

        var result = await otp.SetUsageAsync(
            Login.Number, Login.Number, Usage == "use" ? OtpUsage.Used : OtpUsage.NotUsed, Agree, FormVersion, cancellationToken);
        switch (result.Outcome)
        {
            case OtpOutcome.Done:
                TempData["Notice"] = Usage == "use"
                    ? "ワンタイムパスワードを利用する設定にしました。"
                    : "ワンタイムパスワードを利用しない設定にしました。";
                return RedirectToPage("/Index");
            case OtpOutcome.Stale:
                return StaleForm(result.State?.RowVersion ?? state.RowVersion);
            case OtpOutcome.NotRegistered:
                return RedirectToPage("/Account/Otp/Register");
            case OtpOutcome.Forbidden:
                return Forbid();
            default:
                OtpPageText.AddErrors(ModelState, result);
                return Page();
        }
    }

    private async Task<OtpState> LoadAsync(CancellationToken cancellationToken)
    {
        Login = PortalUser.From(User)!;
        var state = await otp.GetAsync(Login.Number, cancellationToken);
        Current = state.Usage switch
        {
            null => "未選択",
            OtpUsage.NotUsed => "利用しない",
            _ when state.Active => "利用する",
            _ => "利用する（受信用メールアドレスの本登録待ち）",
        };
        return state;
    }
}
