using GatewayAgent.Domain.Numbers;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// Checks Controller:Ivr at start, naming the key: listen addresses, the access number, the trusted edges, the prompts,
/// and that the host registered the account store the IVR asks.
/// </summary>
public sealed class IvrOptionsValidator(IServiceProviderIsService? services = null) : IValidateOptions<IvrOptions>
{
    public ValidateOptionsResult Validate(string? name, IvrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        for (var i = 0; i < options.Listen.Count; i++)
        {
            if (!SipListenAddress.TryParse(options.Listen[i], out _, out var error))
            {
                failures.Add($"{IvrOptions.SectionName}:Listen:{i} '{options.Listen[i]}': {error}");
            }
        }

        if (PhoneNumber.Normalize(options.AccessNumber) is null)
        {
            failures.Add($"{IvrOptions.SectionName}:AccessNumber is required with Listen (the number callers dial, digits)");
        }

        if (options.TrustedEdges.Count == 0)
        {
            failures.Add($"{IvrOptions.SectionName}:TrustedEdges is required with Listen (the edges that assert the calling line)");
        }

        if (services is not null && !services.IsService(typeof(ITemporaryPasswordIssuer)))
        {
            failures.Add($"{IvrOptions.SectionName}:Listen: the IVR needs the account store (ITemporaryPasswordIssuer, from the settings site), and this controller has none");
        }

        AddBadNetworks(options.TrustedEdges, "TrustedEdges", failures);
        AddBadNetworks(options.MediaSources, "MediaSources", failures);
        if (!PromptLibrary.TryLoad(options.PromptDirectory, out _, out var promptError))
        {
            failures.Add($"{IvrOptions.SectionName}:PromptDirectory: {promptError}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddBadNetworks(List<string> values, string key, List<string> failures)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (!SourceGuard.TryParseNetwork(values[i], out _))
            {
                failures.Add($"{IvrOptions.SectionName}:{key}:{i} '{values[i]}' is not an IP address or CIDR block");
            }
        }
    }
}
