namespace GatewayAgent.Portal.Security;

/// <summary>The authorisation policies every page is put under by folder (<see cref="Hosting.PortalServiceCollectionExtensions"/>).</summary>
public static class PortalPolicies
{
    /// <summary>Any signed-in login with a valid session (SS-4).</summary>
    public const string Customer = "portal.customer";

    /// <summary>SS-2: the contract's bulk-forward and notification settings (every page under /Contract).</summary>
    public const string ContractSettings = "portal.contract-settings";
}
