using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Api;

/// <summary>Section "Controller:Api": the operator API's keys, their roles, and the throttle on failed authentication.</summary>
public sealed class ApiOptions
{
    public const string Section = "Controller:Api";

    /// <summary>
    /// Unnamed keys (at least 16 characters each), kept for compatibility: each is an <see cref="ApiRole.Admin"/> key named
    /// "key-N" after its index. Prefer <see cref="NamedKeys"/>. With neither, the API refuses every call.
    /// </summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Named keys with a role (issue 12 item 7): the name is the audited actor.</summary>
    public List<ApiKeyOptions> NamedKeys { get; set; } = [];

    /// <summary>Failed authentications from one source address (an IPv6 /64) within <see cref="FailedAuthWindow"/> before it is refused with 429.</summary>
    [Range(1, 100_000)]
    public int FailedAuthLimit { get; set; } = 10;

    /// <summary>The window of <see cref="FailedAuthLimit"/>; a source over the limit is refused until its window ends.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedAuthWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Source addresses whose failures are tracked at once; past it, expired windows are forgotten first.</summary>
    [Range(16, 10_000_000)]
    public int FailedAuthMaxTrackedSources { get; set; } = 100_000;
}
