namespace GatewayAgent.Controller.Api;

/// <summary>Section "Controller:Api".</summary>
public sealed class ApiOptions
{
    public const string Section = "Controller:Api";

    /// <summary>Operator API keys accepted in the X-Api-Key header (at least 16 characters each). Empty: the API refuses every call.</summary>
    public List<string> Keys { get; set; } = [];
}
