using GatewayAgent.Hardware.Leds;
using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Hardware.Tests.PinMaps;

[Trait("Ring", "unit")]
public sealed class PinMapTests
{
    private const string Valid = """
        {
          "description": "test board",
          "inputs": {
            "power-good": { "pin": 6, "active": "high", "pull": "down" },
            "battery-low": { "pin": 13, "active": "low", "pull": "up", "debounceMs": 200 },
            "button": { "pin": 26, "active": "low", "pull": "up" }
          },
          "leds": {
            "power": { "pin": 17 }, "line": { "pin": 22 }, "cloud": { "pin": 23 }, "alarm": { "pin": 27, "active": "low" }
          },
          "battery": { "type": "ina219", "bus": 1, "address": "0x42", "shuntOhms": 0.1, "fullVolts": 8.4, "emptyVolts": 6.0 }
        }
        """;

    [Fact]
    public void ValidMap_IsRead_WithDefaults()
    {
        var map = PinMap.Parse(Valid, "test.json");

        Assert.Equal(new InputPinDefinition(6, PinActiveLevel.High, PinPull.Down, TimeSpan.FromMilliseconds(50)), map.Inputs["power-good"]);
        Assert.Equal(TimeSpan.FromMilliseconds(200), map.Inputs["battery-low"].Debounce);
        Assert.Equal(new OutputPinDefinition(27, PinActiveLevel.Low), map.Leds[LedName.Alarm]);
        Assert.Equal(new OutputPinDefinition(17, PinActiveLevel.High), map.Leds[LedName.Power]);
        Assert.Equal(0x42, map.Battery!.Address);
        Assert.Equal(20, map.Battery.LowPercent);
    }

    [Theory]
    [InlineData("\"alarm\": { \"pin\": 27, \"active\": \"low\" }", "\"alarm\": { \"pin\": 26 }", "pinmap test.json: leds.alarm.pin: 26 is used twice (also inputs.button)")]
    [InlineData("\"cloud\": { \"pin\": 23 }, ", "", "pinmap test.json: leds.cloud: is required")]
    [InlineData("\"active\": \"low\", \"pull\": \"up\", \"debounceMs\": 200", "\"active\": \"sideways\"", "pinmap test.json: inputs.battery-low.active: 'sideways' must be \"high\" or \"low\"")]
    [InlineData("\"debounceMs\": 200", "\"debounceMs\": -1", "pinmap test.json: inputs.battery-low.debounceMs: -1 must be between 0 and 10000")]
    [InlineData("\"pull\": \"down\"", "\"pull\": \"sideways\"", "pinmap test.json: inputs.power-good.pull: 'sideways' must be \"up\", \"down\" or \"none\"")]
    [InlineData("\"power-good\": { \"pin\": 6,", "\"power-good\": { \"pin\": \"six\",", "pinmap test.json: inputs.power-good.pin: \"six\" must be a whole number")]
    [InlineData("\"fullVolts\": 8.4, \"emptyVolts\": 6.0", "\"fullVolts\": 6.0, \"emptyVolts\": 8.4", "pinmap test.json: battery.emptyVolts: 8.4 must be below fullVolts (6)")]
    [InlineData("\"address\": \"0x42\"", "\"address\": \"0x99\"", "pinmap test.json: battery.address: 0x99 is not a 7-bit I2C address")]
    [InlineData("\"pin\": 17 }", "\"pin\": 17, \"colour\": \"red\" }", "pinmap test.json: leds.power.colour: unknown field (known: pin, active)")]
    [InlineData("\"button\":", "\"buttons\":", "pinmap test.json: inputs.buttons: unknown input (known: power-good, battery-low, button)")]
    public void InvalidMap_IsRejected_NamingTheField(string replace, string with, string message)
    {
        var json = Valid.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        var error = Assert.Throws<PinMapException>(() => PinMap.Parse(json, "test.json"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void NotJson_IsRejected_NamingTheFile()
    {
        var error = Assert.Throws<PinMapException>(() => PinMap.Parse("{ inputs: ", "broken.json"));
        Assert.StartsWith("pinmap broken.json: not valid JSON", error.Message);
    }

    [Theory]
    [InlineData("rpi4.json")]
    [InlineData("rpi5.json")]
    [InlineData("libgpiod-generic.json")]
    [InlineData("sim.json")]
    public void ShippedPinMaps_AreValid(string file)
    {
        var map = PinMap.Load(Path.Combine(AppContext.BaseDirectory, "pinmaps", file));

        Assert.Equal(file, map.Name);
        Assert.Equal(4, map.Leds.Count);
        Assert.Contains("power-good", map.Inputs.Keys);
    }
}
