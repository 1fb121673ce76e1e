namespace GatewayAgent.Status;

public enum LinkState
{
    Unknown,
    Up,
    Down,
}
