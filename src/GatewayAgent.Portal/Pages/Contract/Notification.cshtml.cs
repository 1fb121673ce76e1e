using GatewayAgent.Contracts.Api;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages.Contract;

/// <summary>
/// The contract's failure notification (SS-2: under the contract-settings policy with every page of /Contract). Shows
/// the settings as they are; their forms (FN-8, FN-9, FN-10, FN-14) come with a later step of issue 11.
/// </summary>
public sealed class NotificationModel(ContractStore contracts) : PageModel
{
    public ContractRecord? ContractRecord { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        ContractRecord = await contracts.GetAsync(PortalUser.From(User)!.ContractId, cancellationToken);
        return ContractRecord is null ? NotFound() : Page();
    }
}
