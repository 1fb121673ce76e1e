using Microsoft.Extensions.Options;

namespace GatewayAgent.Portal.Hosting;

/// <summary>
/// What data annotations cannot say about Portal: an https:// URL needs a certificate, and a certificate (or key) path
/// must name a file, so a wrong path stops the site at start naming the key instead of failing inside Kestrel.
/// </summary>
public sealed class PortalOptionsValidator : IValidateOptions<PortalOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var https = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (https && string.IsNullOrEmpty(options.Https.CertificatePath))
        {
            failures.Add("Portal:Https:CertificatePath is required for an https:// URL in Portal:Urls");
        }

        if (options.Https.CertificatePath is { Length: > 0 } certificate && !File.Exists(certificate))
        {
            failures.Add($"Portal:Https:CertificatePath '{certificate}' is not a file");
        }

        if (options.Https.KeyPath is { Length: > 0 } key && !File.Exists(key))
        {
            failures.Add($"Portal:Https:KeyPath '{key}' is not a file");
        }

        if (options.PublicUrl is { Length: > 0 } publicUrl
            && !(Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            failures.Add($"Portal:PublicUrl '{publicUrl}' must be an absolute http(s) URL");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
