using System.Text;
using GatewayAgent.Contracts.Api;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Domain.Customers;
using GatewayAgent.Portal.Forms;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Pages.Contract;

/// <summary>
/// BF-12, SS-12 (BF-15's "CSV set/download"; SS-2 by its folder's policy): the destination table by CSV, offered from 33 numbers (<see cref="LargeContractFeatures"/>; smaller
/// contracts get 404). Download in UTF-8 (with or without a mark) or Shift_JIS; upload in any of the encodings the API
/// reads (<see cref="CsvTextEncoding"/>), read from the stream only up to <see cref="DestinationCsvImport.MaxFileBytes"/>
/// (the request is capped by <see cref="UploadLimit"/> before it is read), then checked by the store's rules and shown as
/// the changes it would make (BF-16) before the customer applies them. The same code as the API's
/// (<see cref="DestinationCsvImport"/>, <see cref="DestinationCsv"/>, <see cref="ContractStore.PreviewAsync(long, Func{ContractDefinition, ContractDefinition}, bool, long?, CancellationToken)"/>).
/// </summary>
[UploadSizeLimit(UploadLimit)]
[RequestSizeLimit(UploadLimit)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadLimit)]
public sealed class DestinationsCsvModel(ContractStore contracts) : ContractSettingsPageModel(contracts)
{
    /// <summary>The whole request of an upload: the file's limit and room for the form's other fields and boundaries.</summary>
    public const int UploadLimit = DestinationCsvImport.MaxFileBytes + (16 << 10);

    private const string ClearHint = "転送先をすべて削除するには、一括転送設定の画面で番号ごとに削除してください";

    /// <summary>The encoding of the upload: empty to detect (UTF-8, UTF-16 with a mark, else Shift_JIS), or one named.</summary>
    [BindProperty]
    public string? Encoding { get; set; }

    /// <summary>BF-16: the normalised table the confirm form applies (UTF-8 CSV in base64, so line ends survive; re-checked on apply).</summary>
    [BindProperty]
    public string? Table { get; set; }

    public DestinationPreview? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadLargeAsync(cancellationToken) is { } missing)
        {
            return missing;
        }

        Show(ContractRecord);
        return Page();
    }

    /// <summary>The current table (BF-12: every number, quoted, CR+LF), in the requested encoding.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(string? encoding, CancellationToken cancellationToken)
    {
        if (await LoadLargeAsync(cancellationToken) is { } missing)
        {
            return missing;
        }

        var requested = CsvTextEncoding.Canonical(encoding, out var problem);
        if (problem is not null)
        {
            return BadRequest();
        }

        var (bytes, charset) = CsvTextEncoding.Encode(DestinationCsv.Format(ContractRecord), requested);
        return File(bytes, $"text/csv; charset={charset}", $"destinations-{ContractRecord.ContractNumber}.csv");
    }

    /// <summary>Step 1: read and check the file, show what it would change; nothing is saved (BF-16).</summary>
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (await LoadLargeAsync(cancellationToken) is { } missing)
        {
            return missing;
        }

        var requested = CsvTextEncoding.Canonical(Encoding, out var encodingProblem);
        if (encodingProblem is not null || file is null || file.Length == 0)
        {
            return Refused([new RuleViolation("csv", "BF-12", encodingProblem ?? "no file was chosen")]);
        }

        byte[]? bytes;
        await using (var stream = file.OpenReadStream())
        {
            bytes = await DestinationCsvImport.ReadBoundedAsync(stream, DestinationCsvImport.MaxFileBytes, cancellationToken);
        }

        if (bytes is null)
        {
            return Refused(
                [new RuleViolation("csv", "BF-12", $"the file is larger than {DestinationCsvImport.MaxFileBytes / (1 << 20)} MiB")],
                StatusCodes.Status413PayloadTooLarge);
        }

        var (table, violations) = DestinationCsvImport.Read(bytes, requested, ClearHint);
        if (table is null)
        {
            return Refused(violations);
        }

        try
        {
            if (await Contracts.PreviewAsync(ContractRecord.Id, DestinationCsvImport.Change(table, ClearHint), force: false, FormVersion, cancellationToken)
                is not { } preview)
            {
                return NotFound();
            }

            var position = Numbers.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
            var next = preview.Next.Destinations.OrderBy(d => position.GetValueOrDefault(d.Number, int.MaxValue)).ToList();
            Preview = DestinationPreview.Between(preview.Current.Destinations, next);
            Table = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(DestinationCsv.Format(preview.Current with { Destinations = next })));
            return Page();
        }
        catch (StaleSettingsException)
        {
            return await StaleAsync(cancellationToken);
        }
        catch (ContractRuleException ex)
        {
            return Refused(DestinationCsvImport.NameLines(ex.Violations, table));
        }
    }

    /// <summary>Step 2: apply the confirmed table, unless the contract changed since the file was checked (SS-11).</summary>
    public async Task<IActionResult> OnPostApplyAsync(CancellationToken cancellationToken)
    {
        if (await LoadLargeAsync(cancellationToken) is { } missing)
        {
            return missing;
        }

        var bytes = new byte[DestinationCsvImport.MaxFileBytes];
        if (!Convert.TryFromBase64String(Table ?? "", bytes, out var length))
        {
            return BadRequest();
        }

        var (table, violations) = DestinationCsvImport.Read(bytes.AsSpan(0, length), CsvTextEncoding.Utf8, ClearHint);
        if (table is null)
        {
            return Refused(violations);
        }

        try
        {
            var write = Write("destinations.csv", "destinations", (before, after) =>
            {
                var change = DestinationPreview.Between(before.Destinations, after.Destinations);
                return $"BF-12 CSV: {change.Added.Count} added, {change.Changed.Count} changed, {change.Removed.Count} removed"
                    + Describe(change);
            });
            if (await Contracts.UpdateAsync(ContractRecord.Id, DestinationCsvImport.Change(table, ClearHint), force: false, write, cancellationToken) is null)
            {
                return NotFound();
            }
        }
        catch (StaleSettingsException)
        {
            return await StaleAsync(cancellationToken);
        }
        catch (ContractRuleException ex)
        {
            return Refused(DestinationCsvImport.NameLines(ex.Violations, table));
        }

        TempData["Notice"] = "CSVファイルの転送先を登録しました。";
        return RedirectToPage("/Contract/Forwarding");
    }

    /// <summary>The changed rows of an upload for the audit (number: old -> new).</summary>
    private static string Describe(DestinationPreview change)
    {
        var text = new StringBuilder();
        foreach (var row in change.Added.Concat(change.Changed).Concat(change.Removed))
        {
            text.Append("; ").Append(row.Number).Append(": ").Append(row.Old ?? "(none)").Append(" -> ").Append(row.New ?? "(none)");
        }

        return text.ToString();
    }

    private async Task<IActionResult?> LoadLargeAsync(CancellationToken cancellationToken) =>
        !await LoadAsync(cancellationToken) || !LargeContractFeatures.Offered(Numbers.Count) ? NotFound() : null;
}
