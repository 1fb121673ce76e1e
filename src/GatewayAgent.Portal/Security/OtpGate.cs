using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace GatewayAgent.Portal.Security;

/// <summary>
/// SS-7 at login: a session that has passed the password of a number using the one-time password reaches nothing but
/// the code page (and the change of receiving address with the confirmation ID and password, and logout) until the
/// code is entered. After the forced password change (SS-4), a number that has not chosen whether to use the one-time
/// password is sent to the choice before anything else.
/// </summary>
public sealed class OtpGate : IAsyncPageFilter
{
    public const string VerifyPage = "/Account/Otp/Verify";
    public const string ChoicePage = "/Account/Otp/Choice";

    private static readonly HashSet<string> OpenWhilePending = new(StringComparer.OrdinalIgnoreCase)
    {
        VerifyPage, "/Account/Otp/ChangeAddress", "/Account/Otp/Confirm", "/Account/Logout", "/Account/Login", "/Error",
    };

    private static readonly HashSet<string> OpenWhileChoosing = new(StringComparer.OrdinalIgnoreCase)
    {
        ChoicePage, "/Account/Otp/Register", "/Account/Otp/Confirm", "/Account/ChangePassword", "/Account/Logout", "/Account/Login", "/Error",
    };

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var page = context.ActionDescriptor.ViewEnginePath;
        switch (PortalUser.From(context.HttpContext.User))
        {
            case { OtpPending: true } when !OpenWhilePending.Contains(page):
                context.Result = new RedirectToPageResult(VerifyPage);
                return;
            case { OtpPending: false, MustChange: null, OtpChoiceNeeded: true } when !OpenWhileChoosing.Contains(page):
                context.Result = new RedirectToPageResult(ChoicePage);
                return;
            default:
                await next();
                return;
        }
    }
}
