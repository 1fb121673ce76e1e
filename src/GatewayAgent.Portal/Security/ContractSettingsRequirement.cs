using Microsoft.AspNetCore.Authorization;

namespace GatewayAgent.Portal.Security;

/// <summary>
/// SS-2: the contract's bulk-forward and failure-notification settings are open only to a line-unit login and to the
/// contract number's login in the number and admin/user units (<see cref="Domain.Accounts.AccessRules"/>).
/// </summary>
public sealed class ContractSettingsRequirement : AuthorizationHandler<ContractSettingsRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ContractSettingsRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (PortalUser.From(context.User) is { CanManageContractSettings: true })
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
