using GatewayAgent.Board;
using GatewayAgent.Hardware.PinMaps;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// The board "gateway-agent run" would open with this configuration, resolved by the agent's own code: Agent:Board
/// bound to <see cref="BoardOptions"/>, <see cref="BoardSelection.Resolve"/> for the kind and pin map file,
/// <see cref="PinMap.Load"/> for the map and <see cref="BoardSelection.GpioChip"/> for the libgpiod chip. The doctor
/// has no resolver or pin-map reader of its own, so it cannot report other pins than the agent uses.
/// </summary>
public sealed record ConfiguredBoard(BoardSelection Selection, PinMap PinMap, int Chip)
{
    /// <summary>The lines the map uses, inputs then LEDs, as the agent opens them.</summary>
    public IReadOnlyList<(string Name, int Pin)> Pins => PinMap.Pins();

    /// <exception cref="InvalidDataException">the configuration or the pin map cannot be used; the message names the key.</exception>
    public static ConfiguredBoard Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        BoardOptions options;
        try
        {
            options = configuration.GetSection(BoardOptions.SectionName).Get<BoardOptions>() ?? new BoardOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException($"{BoardOptions.SectionName}: {ex.Message}", ex);
        }

        if (options.Kind is { Length: > 0 } kind && !BoardSelection.Kinds.Contains(kind))
        {
            throw new InvalidDataException($"{BoardOptions.SectionName}:Kind '{kind}' is not {BoardSelection.KindList}");
        }

        var selection = BoardSelection.Resolve(options);
        if (selection.AutomaticRefusal is { } refusal)
        {
            throw new InvalidDataException(refusal);
        }

        try
        {
            var pinMap = selection.LoadPinMap();
            return new ConfiguredBoard(selection, pinMap, BoardSelection.GpioChip(options, pinMap));
        }
        catch (PinMapException ex)
        {
            throw new InvalidDataException($"{BoardOptions.SectionName}:PinMap: {ex.Message}", ex);
        }
    }
}
