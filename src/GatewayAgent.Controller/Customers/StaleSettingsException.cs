using System.Globalization;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// A settings form refused because the contract changed after the form was shown (SS-11): thrown inside the write
/// transaction, so nothing is written; <see cref="CurrentVersion"/> is the version the page shows again.
/// </summary>
public sealed class StaleSettingsException : Exception
{
    public StaleSettingsException(long contractId, long currentVersion)
        : base(string.Create(CultureInfo.InvariantCulture, $"contract {contractId} is at version {currentVersion}, not the one the form showed (SS-11)"))
    {
        ContractId = contractId;
        CurrentVersion = currentVersion;
    }

    public StaleSettingsException()
        : this(0, 0)
    {
    }

    public StaleSettingsException(string message)
        : base(message)
    {
    }

    public StaleSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long ContractId { get; }

    public long CurrentVersion { get; }
}
