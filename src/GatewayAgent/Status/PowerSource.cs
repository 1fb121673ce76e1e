namespace GatewayAgent.Status;

public enum PowerSource
{
    Unknown,
    Mains,
    Battery,
}
