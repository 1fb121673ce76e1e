using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// The board and pin map "run" would use and every line it opens, read by the agent's own loader
/// (<see cref="ConfiguredBoard"/>): "pinmap PASS rpi4.json (rpi, chip 0): power-good=6 battery-low=5 button=13 led power=17 ...".
/// Fails, naming the key, when the agent would refuse to start with it.
/// </summary>
public sealed class PinMapCheck : IDoctorCheck
{
    public const string Name = "pinmap";

    public Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        DoctorCheckResult result;
        try
        {
            var board = ConfiguredBoard.Load(configuration);
            var pins = string.Join(' ', board.Pins.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Pin}")));
            result = DoctorCheckResult.Pass(Name, $"{board.PinMap.Name} ({board.Selection.Kind}, chip {board.Chip}): {pins}");
        }
        catch (InvalidDataException ex)
        {
            result = DoctorCheckResult.Fail(Name, ex.Message);
        }

        return Task.FromResult<IReadOnlyList<DoctorCheckResult>>([result]);
    }
}
