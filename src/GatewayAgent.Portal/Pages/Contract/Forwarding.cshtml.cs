using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Domain.Customers;
using GatewayAgent.Portal.Forms;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Pages.Contract;

/// <summary>
/// The contract's bulk forwarding (SS-2: under the contract-settings policy with every page of /Contract), BF-15's
/// menu of destination per number, start/stop and CSV: the switch
/// with its start and stop (BF-4: start needs a destination; BF-11: the operator's hold is shown and a start refused
/// while it lasts), and each number's destination with a link to set it (BF-16's confirm step is on
/// <see cref="DestinationModel"/>). From 33 numbers the list is searchable by part of a number and <c>*</c> (BF-13),
/// and the CSV settings are offered (SS-12). Start and stop go through <see cref="ForwardingSwitch"/>, as the API's do.
/// </summary>
public sealed class ForwardingModel(ContractStore contracts, ForwardingSwitch forwarding) : ContractSettingsPageModel(contracts)
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    /// <summary>BF-13, SS-12: the search box and the CSV settings are offered from 33 numbers.</summary>
    public bool LargeContract => LargeContractFeatures.Offered(Numbers.Count);

    /// <summary>The numbers that can have a destination (BF-14: not the monitoring number), filtered by the search (BF-13).</summary>
    public IReadOnlyList<(string Number, string? Destination)> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Show(ContractRecord);
        return Page();
    }

    public Task<IActionResult> OnPostStartAsync(CancellationToken cancellationToken) =>
        SwitchAsync(on: true, cancellationToken);

    public Task<IActionResult> OnPostStopAsync(CancellationToken cancellationToken) =>
        SwitchAsync(on: false, cancellationToken);

    private async Task<IActionResult> SwitchAsync(bool on, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var write = Write(on ? "forwarding.started" : "forwarding.stopped", "forwarding", (_, after) => $"BF-4 bulk forward {(after.Forwarding.On ? "on" : "off")}");
        try
        {
            var changed = on
                ? await forwarding.StartAsync(ContractRecord.Id, write, cancellationToken)
                : await forwarding.StopAsync(ContractRecord.Id, write, cancellationToken);
            if (changed is null)
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
            Show(ContractRecord);
            return Refused(ex.Violations);
        }
        catch (ForwardingHeldException)
        {
            Show(ContractRecord);
            return Refused([new RuleViolation("forwarding", "BF-11", "held by the operator")], StatusCodes.Status409Conflict);
        }

        TempData["Notice"] = on ? "一括転送を開始しました。" : "一括転送を停止しました。";
        return RedirectToPage();
    }

    public override void OnPageHandlerExecuted(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ContractRecord is not null)
        {
            var destinations = ContractRecord.Destinations.ToDictionary(d => d.Number, d => d.Destination, StringComparer.Ordinal);
            Rows = [.. Numbers
                .Where(n => n != ContractRecord.MonitoringNumber)
                .Where(n => !LargeContract || NumberSearch.Matches(n, Search))
                .Select(n => (n, destinations.GetValueOrDefault(n)))];
        }

        base.OnPageHandlerExecuted(context);
    }
}
