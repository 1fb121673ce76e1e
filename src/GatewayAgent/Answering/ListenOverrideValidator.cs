using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Answering;

/// <summary>
/// Agent:Sip:Listen is replaced as a whole, never merged by index (issue 12 item 4). .NET configuration merges arrays
/// element by element: <c>--Agent:Sip:Listen:0=udp:127.0.0.1:25099</c> alone kept the default <c>tcp:0.0.0.0:5060</c>
/// at index 1 from appsettings.json, so an operator who narrowed the address silently kept TCP open on every
/// interface. A later source that sets some elements must set all of them; otherwise the agent refuses to start
/// (exit 2) naming the element that came from an earlier source.
/// </summary>
internal sealed class ListenOverrideValidator(IConfiguration configuration) : IValidateOptions<AgentSipOptions>
{
    private const string Key = AgentSipOptions.SectionName + ":Listen";

    public ValidateOptionsResult Validate(string? name, AgentSipOptions options)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return ValidateOptionsResult.Success;
        }

        var merged = root.GetSection(Key).GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // The last provider that sets any element owns the list: every merged element must come from it.
        foreach (var provider in root.Providers.Reverse())
        {
            var own = provider.GetChildKeys([], Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (own.Count == 0)
            {
                continue;
            }

            var stale = merged.Except(own, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).FirstOrDefault();
            return stale is null
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"{Key}:{stale} '{root[$"{Key}:{stale}"]}' is left from an earlier configuration source than {Key}:{own.Order(StringComparer.Ordinal).First()}; " +
                    "the list is replaced only as a whole: give every element in the same place (its :0, :1, ...)");
        }

        return ValidateOptionsResult.Success;
    }
}
