using GatewayAgent.Board;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// The board's GPIO: a simulated board passes; libgpiod needs /dev/gpiochipN to exist and answer, with every line of
/// the pin map below its line count; a Raspberry Pi needs its GPIO device (/dev/gpiomem or /dev/gpiochip0).
/// </summary>
public sealed class GpioCheck : IDoctorCheck
{
    public const string Name = "gpio";

    private static readonly string[] RaspberryPiDevices = ["gpiomem", "gpiomem0", "gpiochip0"];

    private readonly string _deviceDirectory;

    public GpioCheck(string deviceDirectory = "/dev") => _deviceDirectory = deviceDirectory;

    public Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        ConfiguredBoard board;
        try
        {
            board = ConfiguredBoard.Load(configuration);
        }
        catch (InvalidDataException ex)
        {
            return Result(DoctorCheckResult.Fail(Name, ex.Message));
        }

        return board.Selection.Kind switch
        {
            BoardSelection.Sim => Result(DoctorCheckResult.Pass(Name, $"simulated board ({board.PinMap.Name})")),
            BoardSelection.LibGpiod => Result(CheckChip(board)),
            _ => Result(CheckRaspberryPi(board.Selection.Model)),
        };
    }

    private DoctorCheckResult CheckChip(ConfiguredBoard board)
    {
        var device = Path.Combine(_deviceDirectory, $"gpiochip{board.Chip}");
        if (!File.Exists(device))
        {
            return DoctorCheckResult.Fail(Name, $"{device} does not exist (chip {board.Chip} from Agent:Board:Chip or the pin map's \"chip\"; `gpiodetect` lists the chips)");
        }

        var info = LinuxNative.GpioChipInfo(device, out var error);
        if (info is not { } chip)
        {
            return DoctorCheckResult.Fail(Name, $"{device} cannot be opened: {error} (is the user in group gpio?)");
        }

        var missing = board.Pins.Where(l => l.Pin >= chip.Lines).Select(l => $"{l.Name}={l.Pin}").ToList();
        if (missing.Count > 0)
        {
            return DoctorCheckResult.Fail(Name, $"{device} ({chip.Label}) has {chip.Lines} lines; the pin map uses {string.Join(", ", missing)}");
        }

        return DoctorCheckResult.Pass(Name, $"{device} ({chip.Name}, {chip.Label}): {chip.Lines} lines, the pin map's {board.Pins.Count} lines exist");
    }

    private DoctorCheckResult CheckRaspberryPi(string? model)
    {
        var devices = RaspberryPiDevices.Select(d => Path.Combine(_deviceDirectory, d)).Where(File.Exists).ToList();
        if (devices.Count == 0)
        {
            return DoctorCheckResult.Fail(Name, $"no Raspberry Pi GPIO device ({_deviceDirectory}/gpiomem, {_deviceDirectory}/gpiochip0)");
        }

        return model?.Contains("Raspberry Pi", StringComparison.Ordinal) == true
            ? DoctorCheckResult.Pass(Name, $"{model}: {string.Join(", ", devices)}")
            : DoctorCheckResult.Warn(Name, $"Agent:Board:Kind is rpi but this is not a Raspberry Pi ({model ?? "no device-tree model"}); found {string.Join(", ", devices)}");
    }

    private static Task<IReadOnlyList<DoctorCheckResult>> Result(DoctorCheckResult result) => Task.FromResult<IReadOnlyList<DoctorCheckResult>>([result]);
}
