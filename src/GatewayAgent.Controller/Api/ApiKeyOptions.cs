namespace GatewayAgent.Controller.Api;

/// <summary>One named API key (Controller:Api:NamedKeys:N): its name is the audited actor of every change made with it.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The key's name, [A-Za-z0-9_.-]{1,64}, unique: the actor in the audit and the log.</summary>
    public string? Name { get; set; }

    /// <summary>The secret sent in X-Api-Key (at least 16 characters); or give <see cref="KeySha256"/> instead.</summary>
    public string? Key { get; set; }

    /// <summary>The SHA-256 of the key as 64 hex digits, so the configuration file does not hold the secret itself.</summary>
    public string? KeySha256 { get; set; }

    public ApiRole Role { get; set; } = ApiRole.Read;
}
