namespace GatewayAgent.Lab;

/// <summary>The lab cannot start for a reason the operator fixes from one line (a port in use).</summary>
public sealed class LabStartException(string message) : Exception(message);
