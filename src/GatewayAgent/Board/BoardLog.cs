using Microsoft.Extensions.Logging;

namespace GatewayAgent.Board;

/// <summary>The agent's board glue log messages with stable event ids (2100–2199).</summary>
internal static partial class BoardLog
{
    // 2100 ("no Agent:Board:Kind and this is not a Raspberry Pi: running the simulated board") is retired: the agent
    // no longer simulates by default (issue 12 item 6).

    [LoggerMessage(2101, LogLevel.Information, "board {Board}: {Description}; inputs {Inputs}; battery gauge {Battery}")]
    public static partial void Opened(ILogger logger, string board, string description, string inputs, string battery);

    [LoggerMessage(2102, LogLevel.Critical, "cannot open the {Kind} board with {PinMap}: {Message}")]
    public static partial void OpenFailed(ILogger logger, string kind, string pinMap, string message);

    [LoggerMessage(2103, LogLevel.Warning, "power.lost: power-good went inactive at {At:O}; running on battery")]
    public static partial void PowerLost(ILogger logger, DateTimeOffset at);

    [LoggerMessage(2104, LogLevel.Information, "power.restored: power-good active again at {At:O}")]
    public static partial void PowerRestored(ILogger logger, DateTimeOffset at);

    [LoggerMessage(2105, LogLevel.Warning, "battery.low: {Reason}")]
    public static partial void BatteryLow(ILogger logger, string reason);

    [LoggerMessage(2106, LogLevel.Information, "battery.ok")]
    public static partial void BatteryOk(ILogger logger);

    [LoggerMessage(2107, LogLevel.Warning, "cannot read the battery gauge: {Message}")]
    public static partial void BatteryReadFailed(ILogger logger, string message);

    [LoggerMessage(2108, LogLevel.Warning, "no battery gauge: cannot open I2C bus {Bus} address 0x{Address:x2}: {Message}")]
    public static partial void BatteryUnavailable(ILogger logger, int bus, int address, string message);

    [LoggerMessage(2109, LogLevel.Warning, "wan.down: {Interface} operstate={OperState} carrier={Carrier}")]
    public static partial void WanDown(ILogger logger, string @interface, string operState, bool carrier);

    [LoggerMessage(2110, LogLevel.Information, "wan.up: {Interface}")]
    public static partial void WanUp(ILogger logger, string @interface);

    [LoggerMessage(2111, LogLevel.Information, "watching WAN interface {Interface} every {Interval}: {State}")]
    public static partial void WanWatching(ILogger logger, string @interface, TimeSpan interval, string state);

    [LoggerMessage(2112, LogLevel.Information, "button: {Press}")]
    public static partial void ButtonPressed(ILogger logger, string press);

    [LoggerMessage(2113, LogLevel.Information, "self-test after the button press: reached={Reached} status={Status} error={Error}")]
    public static partial void SelfTestDone(ILogger logger, bool reached, int? status, string? error);

    [LoggerMessage(2114, LogLevel.Warning, "LED test or self-test after the button press failed")]
    public static partial void ButtonActionFailed(ILogger logger, Exception exception);

    [LoggerMessage(2115, LogLevel.Information, "sim: {Name}={Value}")]
    public static partial void SimulationSet(ILogger logger, string name, string value);

    [LoggerMessage(2116, LogLevel.Information, "sim: SIP leg {State} (simulated WAN {Wan}, simulated power-good {PowerGood})")]
    public static partial void SimulatedGate(ILogger logger, string state, string wan, string powerGood);

    [LoggerMessage(2118, LogLevel.Information, "LED test done")]
    public static partial void LedTestDone(ILogger logger);

    [LoggerMessage(2117, LogLevel.Information, "LEDs: {Leds}")]
    public static partial void LedsChanged(ILogger logger, string leds);
}
