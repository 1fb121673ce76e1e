using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Forms;

/// <summary>
/// SS-11's stale-form refusal, for every settings form. A page shows its data with the data's version
/// (<see cref="FormVersion"/>, rendered as a hidden field by the partial <c>_FormVersion</c>); the POST hands the version
/// back to the store, which writes only if it is still the stored one (<c>UPDATE ... WHERE row_version = @version</c>),
/// and the page answers a refusal with <see cref="StaleForm"/>: 409 and a clear message instead of overwriting newer
/// settings made in another window or by another login.
/// </summary>
public abstract class VersionedFormPageModel : PageModel
{
    public const string StaleFormMessage =
        "この画面を表示した後に、別の画面（別のウィンドウ・タブや別のログイン）で設定が変更されたため、この操作は反映していません。最新の内容を表示しましたので、確認してからもう一度操作してください。";

    /// <summary>The version of the data the form showed (posted back unchanged).</summary>
    [BindProperty]
    public long FormVersion { get; set; }

    /// <summary>True after a refusal, so the page shows <see cref="StaleFormMessage"/>.</summary>
    public bool IsStale { get; private set; }

    /// <summary>Refuses the post: the page is shown again with <paramref name="currentVersion"/>, the message and 409.</summary>
    protected IActionResult StaleForm(long currentVersion)
    {
        IsStale = true;
        FormVersion = currentVersion;
        ModelState.Clear();
        ModelState.AddModelError(string.Empty, StaleFormMessage);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }
}
