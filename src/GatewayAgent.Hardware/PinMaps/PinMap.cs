using System.Globalization;
using System.Text.Json;
using GatewayAgent.Hardware.Leds;

namespace GatewayAgent.Hardware.PinMaps;

/// <summary>
/// Which GPIO line does what on one board (hw/pinmaps/*.json): the inputs power-good, battery-low and button, the LEDs
/// power, line, cloud and alarm, and optionally the INA219 on the UPS. <see cref="Load"/> and <see cref="Parse"/> reject
/// a map that cannot work with a message naming the file and the field.
/// </summary>
public sealed record PinMap
{
    public const string PowerGood = "power-good";
    public const string BatteryLow = "battery-low";
    public const string Button = "button";

    public static readonly IReadOnlyList<string> InputNames = [PowerGood, BatteryLow, Button];
    public static readonly IReadOnlyList<string> LedNames = ["power", "line", "cloud", "alarm"];

    /// <summary>The file name the map was read from (for messages and the status line).</summary>
    public required string Name { get; init; }
    /// <summary>Free text: the board and HAT this map is for.</summary>
    public string? Description { get; init; }
    /// <summary>libgpiod chip number the line offsets belong to (libgpiod boards; ignored on a Pi).</summary>
    public int? Chip { get; init; }
    /// <summary>Input name (<see cref="InputNames"/>) → pin. power-good and button are required, battery-low is optional.</summary>
    public required IReadOnlyDictionary<string, InputPinDefinition> Inputs { get; init; }
    /// <summary>LED (<see cref="LedName"/>) → pin; all four are required.</summary>
    public required IReadOnlyDictionary<LedName, OutputPinDefinition> Leds { get; init; }
    public Ina219Definition? Battery { get; init; }

    /// <summary>Every GPIO line the map uses, inputs then LEDs: "power-good" → 6, ..., "led power" → 17.</summary>
    public IReadOnlyList<(string Name, int Pin)> Pins() =>
    [
        .. Inputs.Select(i => (i.Key, i.Value.Pin)),
        .. Leds.Select(l => ("led " + l.Key.ToString().ToLowerInvariant(), l.Value.Pin)),
    ];

    public static PinMap Load(string path)
    {
        var name = Path.GetFileName(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PinMapException($"pinmap {name}: cannot read {path}: {ex.Message}", ex);
        }

        return Parse(json, name);
    }

    public static PinMap Parse(string json, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new PinMapException($"pinmap {name}: not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            return new Reader(name).Read(document.RootElement);
        }
    }

    private sealed class Reader(string name)
    {
        private readonly Dictionary<int, string> _usedPins = [];

        public PinMap Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail("(root)", "must be a JSON object");
            }

            var inputsElement = RequiredObject(root, "inputs", "inputs");
            var inputs = new Dictionary<string, InputPinDefinition>();
            foreach (var property in inputsElement.EnumerateObject())
            {
                if (!InputNames.Contains(property.Name))
                {
                    throw Fail($"inputs.{property.Name}", $"unknown input (known: {string.Join(", ", InputNames)})");
                }

                inputs[property.Name] = ReadInput(property.Value, $"inputs.{property.Name}");
            }

            foreach (var required in new[] { PowerGood, Button })
            {
                if (!inputs.ContainsKey(required))
                {
                    throw Fail($"inputs.{required}", "is required");
                }
            }

            var ledsElement = RequiredObject(root, "leds", "leds");
            var leds = new Dictionary<LedName, OutputPinDefinition>();
            foreach (var property in ledsElement.EnumerateObject())
            {
                if (!LedNames.Contains(property.Name))
                {
                    throw Fail($"leds.{property.Name}", $"unknown LED (known: {string.Join(", ", LedNames)})");
                }

                leds[Enum.Parse<LedName>(property.Name, ignoreCase: true)] = ReadOutput(property.Value, $"leds.{property.Name}");
            }

            foreach (var led in LedNames)
            {
                if (!leds.ContainsKey(Enum.Parse<LedName>(led, ignoreCase: true)))
                {
                    throw Fail($"leds.{led}", "is required");
                }
            }

            int? chip = null;
            if (root.TryGetProperty("chip", out var chipElement))
            {
                chip = Integer(chipElement, "chip", 0, 64);
            }

            string? description = null;
            if (root.TryGetProperty("description", out var descriptionElement))
            {
                description = descriptionElement.ValueKind == JsonValueKind.String ? descriptionElement.GetString() : throw Fail("description", "must be a string");
            }

            Ina219Definition? battery = null;
            if (root.TryGetProperty("battery", out var batteryElement) && batteryElement.ValueKind != JsonValueKind.Null)
            {
                battery = ReadBattery(batteryElement, "battery");
            }

            return new PinMap { Name = name, Description = description, Chip = chip, Inputs = inputs, Leds = leds, Battery = battery };
        }

        private InputPinDefinition ReadInput(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, "must be an object like {\"pin\": 17, \"active\": \"low\", \"pull\": \"up\"}");
            }

            var pin = ReadPin(element, path);
            var active = ReadActive(element, path);
            var pull = PinPull.None;
            if (element.TryGetProperty("pull", out var pullElement))
            {
                pull = pullElement.GetString() switch
                {
                    "up" => PinPull.Up,
                    "down" => PinPull.Down,
                    "none" => PinPull.None,
                    _ => throw Fail(path + ".pull", $"'{pullElement}' must be \"up\", \"down\" or \"none\""),
                };
            }

            var debounce = InputPinDefinition.DefaultDebounce;
            if (element.TryGetProperty("debounceMs", out var debounceElement))
            {
                debounce = TimeSpan.FromMilliseconds(Integer(debounceElement, path + ".debounceMs", 0, 10_000));
            }

            RejectUnknown(element, path, "pin", "active", "pull", "debounceMs");
            return new InputPinDefinition(pin, active, pull, debounce);
        }

        private OutputPinDefinition ReadOutput(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, "must be an object like {\"pin\": 27, \"active\": \"high\"}");
            }

            var pin = ReadPin(element, path);
            var active = ReadActive(element, path);
            RejectUnknown(element, path, "pin", "active");
            return new OutputPinDefinition(pin, active);
        }

        private Ina219Definition ReadBattery(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, "must be an object");
            }

            if (element.TryGetProperty("type", out var type) && type.GetString() != "ina219")
            {
                throw Fail(path + ".type", $"'{type}' is not supported (only \"ina219\")");
            }

            var address = element.TryGetProperty("address", out var addressElement)
                ? addressElement.ValueKind == JsonValueKind.String && addressElement.GetString() is { } text && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex)
                    ? hex
                    : Integer(addressElement, path + ".address", 0x03, 0x77)
                : throw Fail(path + ".address", "is required (e.g. \"0x40\")");
            if (address is < 0x03 or > 0x77)
            {
                throw Fail(path + ".address", $"0x{address:x2} is not a 7-bit I2C address");
            }

            var definition = new Ina219Definition
            {
                Bus = element.TryGetProperty("bus", out var bus) ? Integer(bus, path + ".bus", 0, 99) : throw Fail(path + ".bus", "is required"),
                Address = address,
                ShuntOhms = RequiredNumber(element, path, "shuntOhms", 0.0001, 100),
                MaxAmps = element.TryGetProperty("maxAmps", out _) ? RequiredNumber(element, path, "maxAmps", 0.01, 100) : 3.2,
                FullVolts = RequiredNumber(element, path, "fullVolts", 0.5, 32),
                EmptyVolts = RequiredNumber(element, path, "emptyVolts", 0, 32),
                LowPercent = element.TryGetProperty("lowPercent", out _) ? RequiredNumber(element, path, "lowPercent", 0, 100) : 20,
            };
            if (definition.EmptyVolts >= definition.FullVolts)
            {
                throw Fail(path + ".emptyVolts", $"{definition.EmptyVolts} must be below fullVolts ({definition.FullVolts})");
            }

            RejectUnknown(element, path, "type", "bus", "address", "shuntOhms", "maxAmps", "fullVolts", "emptyVolts", "lowPercent");
            return definition;
        }

        private int ReadPin(JsonElement element, string path)
        {
            if (!element.TryGetProperty("pin", out var pinElement))
            {
                throw Fail(path + ".pin", "is required");
            }

            var pin = Integer(pinElement, path + ".pin", 0, 1023);
            if (!_usedPins.TryAdd(pin, path))
            {
                throw Fail(path + ".pin", $"{pin} is used twice (also {_usedPins[pin]})");
            }

            return pin;
        }

        private PinActiveLevel ReadActive(JsonElement element, string path)
        {
            if (!element.TryGetProperty("active", out var activeElement))
            {
                return PinActiveLevel.High;
            }

            return activeElement.ValueKind == JsonValueKind.String ? activeElement.GetString() switch
            {
                "high" => PinActiveLevel.High,
                "low" => PinActiveLevel.Low,
                _ => throw Fail(path + ".active", $"'{activeElement}' must be \"high\" or \"low\""),
            } : throw Fail(path + ".active", $"{activeElement} must be \"high\" or \"low\"");
        }

        private double RequiredNumber(JsonElement element, string path, string field, double min, double max)
        {
            if (!element.TryGetProperty(field, out var value))
            {
                throw Fail($"{path}.{field}", "is required");
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
            {
                throw Fail($"{path}.{field}", $"{value.GetRawText()} must be a number");
            }

            return number >= min && number <= max ? number : throw Fail($"{path}.{field}", $"{number} must be between {min} and {max}");
        }

        private int Integer(JsonElement value, string path, int min, int max)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            {
                throw Fail(path, $"{value.GetRawText()} must be a whole number");
            }

            return number >= min && number <= max ? number : throw Fail(path, $"{number} must be between {min} and {max}");
        }

        private JsonElement RequiredObject(JsonElement parent, string field, string path) =>
            parent.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Object ? value : throw Fail(path, "is required (an object)");

        private void RejectUnknown(JsonElement element, string path, params string[] known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    throw Fail($"{path}.{property.Name}", $"unknown field (known: {string.Join(", ", known)})");
                }
            }
        }

        private PinMapException Fail(string path, string message) => new($"pinmap {name}: {path}: {message}");
    }
}
