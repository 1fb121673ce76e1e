namespace GatewayAgent.Controller.Storage;

/// <summary>Values of outbox.status.</summary>
public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
