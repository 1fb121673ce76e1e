using GatewayAgent.Contracts.Api;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Portal.Security;
using Microsoft.AspNetCore.Mvc;

namespace GatewayAgent.Portal.Forms;

/// <summary>
/// A page of the contract's settings (under /Contract, so SS-2's policy already guards every handler): the signed-in
/// login, the contract as stored, the version its forms carry (SS-11), and the store's refusals as Japanese messages.
/// Every write passes a <see cref="SettingsWrite"/> (<see cref="Write"/>): the version the form showed, and the
/// settings-audit record with the login number as who.
/// </summary>
public abstract class ContractSettingsPageModel(ContractStore contracts) : VersionedFormPageModel
{
    protected ContractStore Contracts { get; } = contracts;

    public PortalUser Login { get; private set; } = null!;

    public ContractRecord ContractRecord { get; private set; } = null!;

    /// <summary>The contract's numbers in their stored order (the contract number first).</summary>
    public IReadOnlyList<string> Numbers => [ContractRecord.ContractNumber, .. ContractRecord.AdditionalNumbers];

    /// <summary>Reads the login's contract; false when it no longer exists.</summary>
    protected async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Login = PortalUser.From(User)!;
        if (await Contracts.GetAsync(Login.ContractId, cancellationToken) is not { } contract)
        {
            return false;
        }

        ContractRecord = contract;
        return true;
    }

    /// <summary>Shows <paramref name="contract"/> (e.g. after a refusal) and the version its forms now carry.</summary>
    protected void Show(ContractRecord contract)
    {
        ContractRecord = contract;
        FormVersion = contract.RowVersion;
    }

    /// <summary>A write from this form: the version it showed and its audit record (who: the login number).</summary>
    protected SettingsWrite Write(string action, string target, Func<ContractRecord, ContractRecord, string?>? describe = null) =>
        new(FormVersion, Login.Number, action, target, describe);

    /// <summary>The store's refusal as the page's errors, answered with 400 (or 409 for the operator's hold).</summary>
    protected IActionResult Refused(IEnumerable<RuleViolation> violations, int status = StatusCodes.Status400BadRequest)
    {
        foreach (var violation in violations)
        {
            ModelState.AddModelError(string.Empty, RuleMessages.Japanese(violation));
        }

        Response.StatusCode = status;
        return Page();
    }

    /// <summary>SS-11: the contract changed since the form was shown; the page shows it as it is now.</summary>
    protected async Task<IActionResult> StaleAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return StaleForm(ContractRecord.RowVersion);
    }

    /// <summary>A time as the customer reads it (Japan time, which has no daylight saving).</summary>
    public static string JapanTime(DateTimeOffset? at) =>
        at is { } time ? time.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy年M月d日 H:mm", System.Globalization.CultureInfo.InvariantCulture) : "不明";
}
