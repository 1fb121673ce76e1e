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

    private readonly string _baseDirectory;
    private readonly string _deviceDirectory;

    public GpioCheck(string baseDirectory, string deviceDirectory = "/dev")
    {
        _baseDirectory = baseDirectory;
        _deviceDirectory = deviceDirectory;
    }

    public Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        DoctorBoard board;
        try
        {
            board = DoctorBoard.Resolve(configuration, _baseDirectory);
        }
        catch (InvalidDataException ex)
        {
            return Result(DoctorCheckResult.Fail(Name, ex.Message));
        }

        return board.Kind switch
        {
            "sim" => Result(DoctorCheckResult.Pass(Name, $"simulated board ({Path.GetFileName(board.PinMapPath)})")),
            "libgpiod" => Result(CheckChip(board)),
            "rpi" => Result(CheckRaspberryPi()),
            _ => Result(DoctorCheckResult.Fail(Name, $"Agent:Board:Kind '{board.Kind}' is not sim, rpi or libgpiod")),
        };
    }

    private DoctorCheckResult CheckChip(DoctorBoard board)
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

        var missing = board.Lines.Where(l => l.Line < 0 || l.Line >= chip.Lines).Select(l => $"{l.Name}={l.Line}").ToList();
        if (missing.Count > 0)
        {
            return DoctorCheckResult.Fail(Name, $"{device} ({chip.Label}) has {chip.Lines} lines; the pin map uses {string.Join(", ", missing)}");
        }

        return board.PinMapFound
            ? DoctorCheckResult.Pass(Name, $"{device} ({chip.Name}, {chip.Label}): {chip.Lines} lines, the pin map's {board.Lines.Count} lines exist")
            : DoctorCheckResult.Warn(Name, $"{device} ({chip.Name}, {chip.Label}): {chip.Lines} lines; no pin map at {board.PinMapPath}, lines not checked");
    }

    private DoctorCheckResult CheckRaspberryPi()
    {
        var model = DoctorBoard.Model();
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
