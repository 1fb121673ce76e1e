using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// What the doctor needs of the board: its kind and pin map resolved as the agent resolves them (Agent:Board:Kind,
/// empty = rpi on a Raspberry Pi else sim; Agent:Board:PinMap, empty = the map shipped for the kind), the GPIO chip
/// (Agent:Board:Chip over the map's "chip", default 0), the lines the map uses and its INA219, if any.
/// </summary>
public sealed record DoctorBoard(string Kind, string PinMapPath, int Chip, IReadOnlyList<(string Name, int Line)> Lines, (int Bus, int Address)? Ina219)
{
    /// <summary>False when no pin map was configured and none is shipped for the kind: lines and sensor are unknown.</summary>
    public bool PinMapFound => File.Exists(PinMapPath);

    public const string DeviceTreeModel = "/proc/device-tree/model";

    /// <exception cref="InvalidDataException">the pin map is missing or unreadable (the message says which and why).</exception>
    public static DoctorBoard Resolve(IConfiguration configuration, string baseDirectory)
    {
        var model = Model();
        var kind = configuration["Agent:Board:Kind"];
        if (string.IsNullOrWhiteSpace(kind))
        {
            kind = model?.Contains("Raspberry Pi", StringComparison.Ordinal) == true ? "rpi" : "sim";
        }

        var defaultMap = kind switch
        {
            "rpi" => model?.Contains("Raspberry Pi 5", StringComparison.Ordinal) == true ? "rpi5.json" : "rpi4.json",
            "libgpiod" => "libgpiod-generic.json",
            _ => "sim.json",
        };
        var shipped = Path.Combine(baseDirectory, "pinmaps");
        var configured = configuration["Agent:Board:PinMap"];
        var path = string.IsNullOrWhiteSpace(configured) ? Path.Combine(shipped, defaultMap) : Path.GetFullPath(configured);
        if (!string.IsNullOrWhiteSpace(configured) && !File.Exists(path) && Path.GetFileName(configured) == configured
            && File.Exists(Path.Combine(shipped, configured)))
        {
            path = Path.Combine(shipped, configured);
        }

        int? chipSetting = int.TryParse(configuration["Agent:Board:Chip"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
        if (!File.Exists(path))
        {
            // No pin map (not shipped in this build, or a wrong path): the chip can still be checked.
            if (!string.IsNullOrWhiteSpace(configured))
            {
                throw new InvalidDataException($"pin map {path} does not exist (Agent:Board:PinMap)");
            }

            return new DoctorBoard(kind, path, chipSetting ?? 0, [], null);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            var root = document.RootElement;
            var chip = chipSetting ?? (root.TryGetProperty("chip", out var chipElement) && chipElement.ValueKind == JsonValueKind.Number ? chipElement.GetInt32() : 0);
            var lines = new List<(string, int)>();
            foreach (var group in new[] { "inputs", "leds" })
            {
                if (root.TryGetProperty(group, out var pins) && pins.ValueKind == JsonValueKind.Object)
                {
                    lines.AddRange(pins.EnumerateObject()
                        .Where(p => p.Value.TryGetProperty("pin", out var pin) && pin.ValueKind == JsonValueKind.Number)
                        .Select(p => (p.Name, p.Value.GetProperty("pin").GetInt32())));
                }
            }

            (int, int)? ina219 = null;
            if (root.TryGetProperty("battery", out var battery) && battery.ValueKind == JsonValueKind.Object
                && battery.TryGetProperty("type", out var type) && string.Equals(type.GetString(), "ina219", StringComparison.OrdinalIgnoreCase))
            {
                ina219 = (battery.GetProperty("bus").GetInt32(), Address(battery.GetProperty("address")));
            }

            return new DoctorBoard(kind, path, chip, lines, ina219);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or IOException)
        {
            throw new InvalidDataException($"pin map {path} cannot be read: {ex.Message}", ex);
        }
    }

    public static string? Model()
    {
        try
        {
            return File.Exists(DeviceTreeModel) ? File.ReadAllText(DeviceTreeModel).TrimEnd('\0', '\n') : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int Address(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number
            ? element.GetInt32()
            : int.Parse(element.GetString()!.Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
