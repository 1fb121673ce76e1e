using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Portal.Forms;
using GatewayAgent.Portal.Hosting;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>
/// SS-8: the one-time-password settings of every number by CSV (download and upload), in the destination CSV's
/// encodings (<see cref="CsvTextEncoding"/>, Shift_JIS included). Only a login that manages every number of the
/// contract (line unit, or the admin of the admin/user unit, SS-1) may use it; any other gets 403 on every handler.
/// </summary>
public sealed class BulkModel(OtpStore otp, IOptions<PortalOptions> options) : VersionedFormPageModel
{
    /// <summary>The largest upload read (far above the rows of any contract).</summary>
    public const int MaxUploadBytes = 1024 * 1024;

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public string? Encoding { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Allowed() is not { } login)
        {
            return Forbid();
        }

        FormVersion = OtpStore.BulkVersion(await otp.ListAsync(login.ContractId, cancellationToken));
        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync(string? encoding, CancellationToken cancellationToken)
    {
        if (Allowed() is not { } login)
        {
            return Forbid();
        }

        var requested = CsvTextEncoding.Canonical(encoding, out var problem);
        if (problem is not null)
        {
            return BadRequest();
        }

        var states = (await otp.ListAsync(login.ContractId, cancellationToken)).Where(s => login.CanManageNumber(s.Number));
        var (bytes, charset) = CsvTextEncoding.Encode(OtpCsv.Format(states), requested);
        return File(bytes, $"text/csv; charset={charset}", "otp.csv");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Allowed() is not { } login)
        {
            return Forbid();
        }

        var requested = CsvTextEncoding.Canonical(Encoding, out var encodingProblem);
        if (encodingProblem is not null || Upload is null || Upload.Length == 0 || Upload.Length > MaxUploadBytes)
        {
            ModelState.AddModelError(nameof(Upload), $"CSVファイル（{MaxUploadBytes / 1024 / 1024}MB以下）を指定してください。");
            return await ShowAsync(login, cancellationToken);
        }

        using var buffer = new MemoryStream();
        await using (var stream = Upload.OpenReadStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken);
        }

        var (text, _, decodeProblem) = CsvTextEncoding.Decode(buffer.ToArray(), requested);
        if (text is null)
        {
            ModelState.AddModelError(nameof(Upload), $"ファイルを読めません（{decodeProblem}）。UTF-8またはShift_JISで保存してください。");
            return await ShowAsync(login, cancellationToken);
        }

        var (rows, errors) = OtpCsv.Parse(text);
        var result = errors.Count > 0
            ? new OtpBulkResult(OtpOutcome.Invalid, 0, 0, errors)
            : await otp.ApplyCsvAsync(login.Number, login.ContractId, login.CanManageNumber, rows, FormVersion, OtpLinks.For(options.Value), cancellationToken);
        switch (result.Outcome)
        {
            case OtpOutcome.Done:
                Notice = $"{result.Applied}件の電話番号を設定しました。" + (result.Mailed > 0 ? $"{result.Mailed}件のメールアドレスに本登録のURLを送信しました。" : "");
                return RedirectToPage();
            case OtpOutcome.Stale:
                var current = OtpStore.BulkVersion(await otp.ListAsync(login.ContractId, cancellationToken));
                return StaleForm(current);
            default:
                foreach (var error in result.Errors)
                {
                    ModelState.AddModelError(string.Empty, $"{error.Field}：{error.Message}");
                }

                return await ShowAsync(login, cancellationToken);
        }
    }

    private PortalUser? Allowed() => PortalUser.From(User) is { ManagesAllNumbers: true } login ? login : null;

    private async Task<IActionResult> ShowAsync(PortalUser login, CancellationToken cancellationToken)
    {
        FormVersion = OtpStore.BulkVersion(await otp.ListAsync(login.ContractId, cancellationToken));
        return Page();
    }
}
