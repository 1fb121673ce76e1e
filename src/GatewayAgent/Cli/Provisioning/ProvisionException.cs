namespace GatewayAgent.Cli.Provisioning;

/// <summary>An invalid flag or value: the message names the configuration key (or the flag) and what is wrong.</summary>
public sealed class ProvisionException : Exception
{
    public ProvisionException(string message)
        : base(message)
    {
    }

    public ProvisionException()
    {
    }

    public ProvisionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
