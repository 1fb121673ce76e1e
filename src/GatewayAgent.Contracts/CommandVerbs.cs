namespace GatewayAgent.Contracts;

/// <summary>Verbs the agent accepts on <c>gw/v1/{siteId}/cmd/{verb}</c>.</summary>
public static class CommandVerbs
{
    public const string LedTest = "led-test";
    public const string SelfTest = "self-test";
    public const string Rebirth = "rebirth";
    public const string ReloadConfig = "reload-config";
}
