using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace GatewayAgent.Portal.Forms;

/// <summary>
/// Refuses with 413 an upload that declares a body over <see cref="Bytes"/>, before anything reads it (the antiforgery
/// check reads the form first). A body without a length (chunked) is capped where it is read, by
/// <see cref="RequestSizeLimitAttribute"/> beside this one.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UploadSizeLimitAttribute(long bytes) : Attribute, IAuthorizationFilter, IOrderedFilter
{
    public long Bytes { get; } = bytes;

    /// <summary>Before the antiforgery filter (order 1000).</summary>
    public int Order => -1000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HttpContext.Request.ContentLength > Bytes)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
        }
    }
}
