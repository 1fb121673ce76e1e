using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Security;

/// <summary>
/// SS-4: a session begun with the temporary password, or with an expired password, reaches nothing but the password
/// change (and logout) until the password is changed: every other page, GET or POST, redirects there.
/// </summary>
public sealed class PasswordChangeGate : IAsyncPageFilter
{
    private static readonly HashSet<string> Open = new(StringComparer.OrdinalIgnoreCase)
    {
        "/Account/ChangePassword", "/Account/Logout", "/Account/Login", "/Error",
    };

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        // SS-7: the one-time password comes first (OtpGate); the change follows it.
        if (PortalUser.From(context.HttpContext.User) is { MustChange: not null, OtpPending: false }
            && !Open.Contains(context.ActionDescriptor.ViewEnginePath))
        {
            context.Result = new RedirectToPageResult("/Account/ChangePassword");
            return;
        }

        await next();
    }
}
