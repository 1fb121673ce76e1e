using System.Device.I2c;
using GatewayAgent.Board;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// The pin map's INA219 battery monitor: its bus /dev/i2c-N exists and the device answers at its address (its
/// configuration register reads back). Passes with nothing to do on a simulated board or a map without a battery.
/// </summary>
public sealed class I2cCheck : IDoctorCheck
{
    public const string Name = "i2c";

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

        if (board.Selection.Kind == BoardSelection.Sim)
        {
            return Result(DoctorCheckResult.Pass(Name, "simulated board: simulated INA219"));
        }

        if (board.PinMap.Battery is not { } ina219)
        {
            return Result(DoctorCheckResult.Pass(Name, $"no I2C sensor in the pin map ({board.PinMap.Name})"));
        }

        var device = $"/dev/i2c-{ina219.Bus}";
        if (!File.Exists(device))
        {
            return Result(DoctorCheckResult.Fail(Name, $"{device} does not exist: enable I2C (dtparam=i2c_arm=on, or load i2c-dev) for the INA219 at 0x{ina219.Address:x2}"));
        }

        try
        {
            using var i2c = I2cDevice.Create(new I2cConnectionSettings(ina219.Bus, ina219.Address));
            Span<byte> config = stackalloc byte[2];
            i2c.WriteByte(0x00); // register pointer: configuration
            i2c.Read(config);
            return Result(DoctorCheckResult.Pass(Name, $"INA219 at 0x{ina219.Address:x2} on {device} answers (configuration 0x{config[0]:x2}{config[1]:x2})"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SystemException)
        {
            return Result(DoctorCheckResult.Fail(Name, $"no answer from the INA219 at 0x{ina219.Address:x2} on {device}: {ex.Message}"));
        }
    }

    private static Task<IReadOnlyList<DoctorCheckResult>> Result(DoctorCheckResult result) => Task.FromResult<IReadOnlyList<DoctorCheckResult>>([result]);
}
