using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Hosting;

/// <summary>Host-wide settings (section "Controller").</summary>
public sealed class ControllerOptions
{
    public const string Section = "Controller";

    /// <summary>Where the SQLite database (and other local state) lives; created when missing.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Controller:DataDirectory must not be empty")]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Kestrel listen URLs (semicolon separated); when unset, ASPNETCORE_URLS or http://127.0.0.1:8080.</summary>
    public string? Urls { get; set; }
}
