using GatewayAgent.Domain.Durations;
using System.ComponentModel.DataAnnotations;
using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Board;

/// <summary>The "Agent:Board" settings: which board, its pin map, the WAN interface and the timings (hw/README.md).</summary>
public sealed class BoardOptions : IValidatableObject
{
    public const string SectionName = "Agent:Board";

    /// <summary>
    /// "sim", "rpi" or "libgpiod"; empty = "rpi" on a Raspberry Pi, and on any other machine the agent refuses to start
    /// (the simulated board runs only when set here: issue 12 item 6).
    /// </summary>
    public string? Kind { get; set; }

    /// <summary>Pin map file; empty = the one shipped beside the binary for the kind (pinmaps/rpi4.json, ...).</summary>
    public string? PinMap { get; set; }

    /// <summary>libgpiod chip number; overrides the pin map's "chip".</summary>
    [Range(0, 64)]
    public int? Chip { get; set; }

    /// <summary>"auto" (libgpiod v2, else v1), "v1" or "v2".</summary>
    public string LibGpiodVersion { get; set; } = "auto";

    /// <summary>The WAN-side interface whose link is watched; empty = the interface of the default route, else eth0.</summary>
    public string? WanInterface { get; set; }

    [DurationRange("00:00:00.100", "01:00:00")]
    public TimeSpan WanPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [DurationRange("00:00:01", "01:00:00")]
    public TimeSpan BatteryPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A button press released before this is a short press (LED test + self-test).</summary>
    [DurationRange("00:00:00.100", "00:01:00")]
    public TimeSpan ShortPressMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A button held this long is a long press (technician on site).</summary>
    [DurationRange("00:00:00.500", "00:01:00")]
    public TimeSpan LongPress { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>LINE blinks slowly when no probe was answered for this long (00:00:00 = never).</summary>
    [DurationRange("00:00:00", "7.00:00:00")]
    public TimeSpan ProbeExpectedWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Where the Raspberry Pi model is read from for the automatic choice (tests point it elsewhere).</summary>
    public string DeviceTreeModel { get; set; } = "/proc/device-tree/model";

    public BoardSimulationOptions Simulation { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind is { Length: > 0 } kind && !BoardSelection.Kinds.Contains(kind))
        {
            yield return new ValidationResult($"{SectionName}:Kind '{kind}' must be {BoardSelection.KindList} (or empty on a Raspberry Pi: rpi)", [nameof(Kind)]);
            yield break;
        }

        if (LibGpiodVersion is not ("auto" or "v1" or "v2"))
        {
            yield return new ValidationResult($"{SectionName}:LibGpiodVersion '{LibGpiodVersion}' must be auto, v1 or v2", [nameof(LibGpiodVersion)]);
        }

        if (ShortPressMax > LongPress)
        {
            yield return new ValidationResult($"{SectionName}:ShortPressMax ({ShortPressMax}) must not be longer than {SectionName}:LongPress ({LongPress})", [nameof(ShortPressMax)]);
        }

        var selection = BoardSelection.Resolve(this);
        if (selection.AutomaticRefusal is { } refusal)
        {
            yield return new ValidationResult(refusal, [nameof(Kind)]);
        }

        string? error = null;
        try
        {
            selection.LoadPinMap();
        }
        catch (PinMapException ex)
        {
            error = ex.Message;
        }

        if (error is not null)
        {
            yield return new ValidationResult($"{SectionName}:PinMap: {error}", [nameof(PinMap)]);
        }
    }
}
