namespace GatewayAgent.Sip.UserAgents;

/// <summary>Where the registration stands.</summary>
public enum RegistrationState
{
    Unregistered,
    Registering,
    Registered,
    Failed,
}
