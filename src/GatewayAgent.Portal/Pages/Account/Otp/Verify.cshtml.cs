using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>
/// SS-7 at login: "send OTP" mails a code valid 300 s; entering it completes the login. A wrong code counts against
/// the code (3 void it) and as a wrong password (SS-6), in the database, so it holds across nodes.
/// </summary>
public sealed class VerifyModel(OtpStore otp, PortalAccountStore accounts) : PageModel
{
    public const string WrongCodeMessage = "ワンタイムパスワードが正しくありません。";

    public const string ExpiredCodeMessage =
        "ワンタイムパスワードの有効時間（300秒）が過ぎたか、誤りが続いたため無効です。「ワンタイムパスワードを送信」を押して、新しいワンタイムパスワードを受け取ってください。";

    public const string SentMessage = "ワンタイムパスワードを送信しました。メールに記載の6桁の数字を入力してください。";

    [BindProperty]
    public string? Code { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public string MaskedAddress { get; private set; } = "";

    public int ValiditySeconds => (int)OtpRules.CodeValidity.TotalSeconds;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : RedirectToPage("/Index");

    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return RedirectToPage("/Index");
        }

        var result = await otp.SendCodeAsync(PortalUser.From(User)!.Number, cancellationToken);
        if (result.Outcome == OtpOutcome.TooSoon)
        {
            ModelState.AddModelError(string.Empty, $"ワンタイムパスワードは送信済みです。{OtpRules.ResendInterval.TotalSeconds:0}秒ほど待ってから、もう一度送信してください。");
            return Page();
        }

        Notice = SentMessage;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCodeAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return RedirectToPage("/Index");
        }

        var login = PortalUser.From(User)!;
        var result = await otp.VerifyCodeAsync(login.Number, Code, cancellationToken);
        switch (result.Outcome)
        {
            case OtpOutcome.Done:
                var account = await accounts.FindAsync(login.Number, cancellationToken);
                if (account is null)
                {
                    return Forbid();
                }

                var via = User.FindFirst(PortalClaims.Via)?.Value ?? PortalClaims.ViaPassword;
                await HttpContext.SignInAsync(
                    CookieAuthenticationDefaults.AuthenticationScheme,
                    PortalUser.Principal(account, via, login.MustChange, CookieAuthenticationDefaults.AuthenticationScheme));
                return RedirectToPage("/Index");
            case OtpOutcome.WrongCode:
                ModelState.AddModelError(nameof(Code), WrongCodeMessage);
                return Page();
            default:
                ModelState.AddModelError(nameof(Code), ExpiredCodeMessage);
                return Page();
        }
    }

    /// <summary>False when this session has no code to enter (the gate let it through, or the number stopped using it).</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var login = PortalUser.From(User)!;
        if (!login.OtpPending)
        {
            return false;
        }

        var state = await otp.GetAsync(login.Number, cancellationToken);
        MaskedAddress = OtpPageText.Mask(state.Address);
        return state.Active;
    }
}
