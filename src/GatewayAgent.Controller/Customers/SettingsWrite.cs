using System.Data.Common;
using GatewayAgent.Controller.Accounts;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// A change made from a settings form of the customers' site (issue 11): the version of the contract the form showed
/// (SS-11: written only while it still is the stored one) and the settings-audit record of the change — who (the
/// login number), on what (<paramref name="Target"/>: a number, <c>forwarding</c>, <c>notification</c>...), what
/// (<paramref name="Action"/>, and the detail <paramref name="Describe"/> gives from the contract before and after).
/// The record is written in the change's own transaction, so a change is never without it.
/// </summary>
public sealed record SettingsWrite(
    long ExpectedVersion,
    string Actor,
    string Action,
    string Target = "contract",
    Func<ContractRecord, ContractRecord, string?>? Describe = null)
{
    /// <summary>Throws <see cref="StaleSettingsException"/> when <paramref name="current"/> is not the version the form showed.</summary>
    public void RequireVersion(ContractRecord current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.RowVersion != ExpectedVersion)
        {
            throw new StaleSettingsException(current.Id, current.RowVersion);
        }
    }

    /// <summary>The settings-audit row of the change, inside its transaction.</summary>
    public Task RecordAsync(
        DbConnection connection, DbTransaction transaction, ContractRecord before, ContractRecord after, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return SettingsAuditLog.RecordAsync(connection, transaction, after.Id, at, Actor, Target, Action, Describe?.Invoke(before, after), cancellationToken);
    }
}
