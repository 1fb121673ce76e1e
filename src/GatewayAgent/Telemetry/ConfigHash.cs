using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Telemetry;

/// <summary>
/// SHA-256 (hex, first 16 characters) of the effective "Agent" configuration, secrets (keys naming a password or
/// secret) left out: the birth carries it so the controller sees which sites run which configuration.
/// </summary>
public static class ConfigHash
{
    public static string Compute(IConfiguration configuration)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in configuration.GetSection("Agent").AsEnumerable()
                     .Where(kv => kv.Value is not null && !IsSecret(kv.Key))
                     .OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase))
        {
            builder.Append(key).Append('=').Append(value).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
        return Convert.ToHexStringLower(hash)[..16];
    }

    private static bool IsSecret(string key)
    {
        var last = key[(key.LastIndexOf(':') + 1)..];
        return last.Contains("password", StringComparison.OrdinalIgnoreCase) || last.Contains("secret", StringComparison.OrdinalIgnoreCase);
    }
}
