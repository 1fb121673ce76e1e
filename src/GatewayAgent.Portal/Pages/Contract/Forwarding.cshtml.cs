using GatewayAgent.Contracts.Api;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GatewayAgent.Portal.Pages.Contract;

/// <summary>
/// The contract's bulk forwarding (SS-2: under the contract-settings policy with every page of /Contract). Shows the
/// switch and the destinations as they are; their settings forms (BF-4, BF-11, BF-13, BF-16) come with a later step of
/// issue 11.
/// </summary>
public sealed class ForwardingModel(ContractStore contracts) : PageModel
{
    public ContractRecord? ContractRecord { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        ContractRecord = await contracts.GetAsync(PortalUser.From(User)!.ContractId, cancellationToken);
        return ContractRecord is null ? NotFound() : Page();
    }
}
