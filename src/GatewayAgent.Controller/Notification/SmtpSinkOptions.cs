using System.ComponentModel.DataAnnotations;
using System.Net;

namespace GatewayAgent.Controller.Notification;

/// <summary>The "Controller:Mail:Sink" settings: the embedded SMTP server that stores mails as .eml files (lab, tests).</summary>
public sealed class SmtpSinkOptions : IValidatableObject
{
    public const string SectionName = "Controller:Mail:Sink";

    public bool Enabled { get; set; }

    /// <summary>Address and port to listen on ("127.0.0.1:2525"; port 0 picks a free one).</summary>
    public string Listen { get; set; } = "127.0.0.1:2525";

    /// <summary>Where the received mails are written, one .eml file each.</summary>
    public string Directory { get; set; } = "mail-sink";

    public IPEndPoint ListenEndPoint() => IPEndPoint.Parse(Listen);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!IPEndPoint.TryParse(Listen, out _))
        {
            yield return new ValidationResult($"Controller:Mail:Sink:Listen '{Listen}' must be an address and port such as 127.0.0.1:2525", [nameof(Listen)]);
        }

        if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return new ValidationResult("Controller:Mail:Sink:Directory is required when Controller:Mail:Sink:Enabled is true", [nameof(Directory)]);
        }
    }
}
