using GatewayAgent.Contracts.Api;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Domain.Numbers;
using GatewayAgent.Portal.Forms;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Pages.Contract;

/// <summary>
/// One number's destination (BF-2; BF-15's "destination per number"; SS-2 by its folder's policy), in two steps (BF-16): the entry is checked by the store's rules (BF-9 restricted
/// destinations, BF-14 not the monitoring number, the number format; <see cref="ContractStore.PreviewDestinationAsync"/>)
/// and shown normalised for confirmation, and only the confirmed, normalised value is saved
/// (<see cref="ContractStore.SetDestinationAsync(long, string, string?, SettingsWrite, CancellationToken)"/>, the
/// API's path). Removing a destination is guarded by BF-5 while forwarding is on.
/// </summary>
public sealed class DestinationModel(ContractStore contracts) : ContractSettingsPageModel(contracts)
{
    [BindProperty(SupportsGet = true)]
    public string? Number { get; set; }

    /// <summary>What the customer typed (any form: hyphens, full-width digits).</summary>
    [BindProperty]
    public string? Destination { get; set; }

    /// <summary>BF-16: the normalised destination shown for confirmation (and posted back by the confirm form).</summary>
    [BindProperty]
    public string? Confirmed { get; set; }

    public string? Current { get; private set; }

    public bool Confirming { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadNumberAsync(cancellationToken) is { } missing)
        {
            return missing;
        }

        Show(ContractRecord);
        Destination = Current;
        return Page();
    }

    /// <summary>Step 1: check and normalise, save nothing (BF-16).</summary>
    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        if (await LoadNumberAsync(cancellationToken) is { } missing)
        {
            return missing;
        }

        if (string.IsNullOrWhiteSpace(Destination))
        {
            ModelState.AddModelError(nameof(Destination), "転送先の電話番号を入力してください。");
            return Page();
        }

        try
        {
            var preview = await Contracts.PreviewDestinationAsync(ContractRecord.Id, Number!, Destination, FormVersion, cancellationToken);
            if (preview is null)
            {
                return NotFound();
            }

            Confirmed = preview.Destination;
            Confirming = true;
            return Page();
        }
        catch (StaleSettingsException)
        {
            return await StaleAsync(cancellationToken);
        }
        catch (ContractRuleException ex)
        {
            return Refused(ex.Violations);
        }
    }

    /// <summary>Step 2: save the confirmed, normalised destination, unless the contract changed since (SS-11).</summary>
    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (await LoadNumberAsync(cancellationToken) is { } missing)
        {
            return missing;
        }

        if (string.IsNullOrWhiteSpace(Confirmed))
        {
            return BadRequest();
        }

        var number = Number!;
        return await WriteAsync(
            () => Contracts.SetDestinationAsync(
                ContractRecord.Id,
                number,
                Confirmed,
                Write("destination.set", number, (before, after) => $"{Of(before, number) ?? "(none)"} -> {Of(after, number)}"),
                cancellationToken),
            $"{number} の転送先を {Confirmed} に登録しました。",
            cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken)
    {
        if (await LoadNumberAsync(cancellationToken) is { } missing)
        {
            return missing;
        }

        var number = Number!;
        return await WriteAsync(
            () => Contracts.RemoveDestinationAsync(
                ContractRecord.Id, number, Write("destination.removed", number, (before, _) => $"{Of(before, number) ?? "(none)"} -> (none)"), cancellationToken),
            $"{number} の転送先を削除しました。",
            cancellationToken);
    }

    private async Task<IActionResult> WriteAsync(Func<Task<ContractRecord?>> write, string notice, CancellationToken cancellationToken)
    {
        try
        {
            if (await write() is null)
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
            return Refused(ex.Violations);
        }

        TempData["Notice"] = notice;
        return RedirectToPage("/Contract/Forwarding");
    }

    /// <summary>The contract and the number (normalised); 404 when the number is not one of the contract's.</summary>
    private async Task<IActionResult?> LoadNumberAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var number = PhoneNumber.Normalize(Number);
        if (number is null || !Numbers.Contains(number))
        {
            return NotFound();
        }

        Number = number;
        Current = Of(ContractRecord, number);
        return null;
    }

    private static string? Of(ContractRecord contract, string number) =>
        contract.Destinations.FirstOrDefault(d => d.Number == number)?.Destination;
}
