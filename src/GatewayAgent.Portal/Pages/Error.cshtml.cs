using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages;

/// <summary>The page of every error status (re-executed by the status-code pages, so the status stays: 403, 404, 400, 429).</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    private int? _code;

    /// <summary>The status shown: from <c>?code=</c>, else the status the re-executed response keeps (a refused POST whose body is not read).</summary>
    public int Code => _code ?? (Response.StatusCode >= 400 ? Response.StatusCode : StatusCodes.Status500InternalServerError);

    public string Message => Code switch
    {
        StatusCodes.Status403Forbidden => "このページを表示する権限がありません。一括転送設定と故障通知設定は、契約電話番号でログインした場合に利用できます。",
        StatusCodes.Status404NotFound => "ページが見つかりません。",
        StatusCodes.Status400BadRequest => "画面の有効期限が切れたか、不正な送信です。もう一度画面を開き直して操作してください。",
        StatusCodes.Status413PayloadTooLarge => "送信されたファイルが大きすぎます。CSVファイルは1MBまでです（BF-12）。",
        StatusCodes.Status429TooManyRequests => "ログインの試行が多すぎます。しばらく待ってから、もう一度お試しください。",
        _ => "エラーが発生しました。しばらく待ってから、もう一度お試しください。",
    };

    public void OnGet([FromQuery] int? code) => _code = code;

    /// <summary>A refused POST re-executed here; the code is read from the query only, never from the refused body (e.g. an upload over the limit).</summary>
    public void OnPost([FromQuery] int? code) => OnGet(code);
}
