using System.Buffers.Binary;
using System.Device.I2c;

namespace GatewayAgent.Hardware.Simulation;

/// <summary>
/// An INA219 at register level on a simulated I2C bus: a write of one byte sets the register pointer, three bytes
/// write a register (big-endian), a two-byte read returns the pointed register. Bus and shunt voltages are set from
/// outside (<see cref="BusVolts"/>, <see cref="ShuntAmps"/>); the current register is computed from the shunt
/// register and the calibration the way the chip does (datasheet §8.5.1: current = shunt × calibration / 4096).
/// </summary>
public sealed class SimulatedIna219 : I2cDevice
{
    private const byte Configuration = 0x00;
    private const byte ShuntVoltage = 0x01;
    private const byte BusVoltage = 0x02;
    private const byte Power = 0x03;
    private const byte Current = 0x04;
    private const byte Calibration = 0x05;
    private const ushort ResetValue = 0x399F;

    private readonly Lock _gate = new();
    private readonly ushort[] _registers = new ushort[6];
    private readonly double _shuntOhms;
    private byte _pointer;

    public SimulatedIna219(I2cConnectionSettings settings, double shuntOhms)
    {
        ConnectionSettings = settings;
        _shuntOhms = shuntOhms;
        _registers[Configuration] = ResetValue;
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>The battery voltage the chip measures on its bus input.</summary>
    public double BusVolts { get; set; } = 12;

    /// <summary>The current through the shunt (positive = discharging into the load).</summary>
    public double ShuntAmps { get; set; }

    public ushort ReadRegisterValue(byte register)
    {
        lock (_gate)
        {
            return Value(register);
        }
    }

    public override byte ReadByte()
    {
        Span<byte> buffer = stackalloc byte[1];
        Read(buffer);
        return buffer[0];
    }

    public override void Read(Span<byte> buffer)
    {
        Span<byte> value = stackalloc byte[2];
        lock (_gate)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value, Value(_pointer));
        }

        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = i < 2 ? value[i] : (byte)0;
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (buffer[0] > Calibration)
            {
                throw new IOException($"INA219 has no register 0x{buffer[0]:x2}");
            }

            _pointer = buffer[0];
            if (buffer.Length < 3)
            {
                return;
            }

            var value = BinaryPrimitives.ReadUInt16BigEndian(buffer[1..3]);
            switch (_pointer)
            {
                case Configuration when (value & 0x8000) != 0:
                    Array.Clear(_registers);
                    _registers[Configuration] = ResetValue;
                    break;
                case Configuration:
                    _registers[Configuration] = value;
                    break;
                case Calibration:
                    _registers[Calibration] = (ushort)(value & 0xFFFE); // bit 0 is not used
                    break;
                default:
                    throw new IOException($"INA219 register 0x{_pointer:x2} is read-only");
            }
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private ushort Value(byte register)
    {
        // Shunt voltage register: signed, 10 µV per bit.
        var shunt = (short)Math.Clamp(Math.Round(ShuntAmps * _shuntOhms / 10e-6), short.MinValue, short.MaxValue);
        return register switch
        {
            ShuntVoltage => unchecked((ushort)shunt),
            // Bus voltage register: bits 15-3 are the voltage at 4 mV per bit; bit 1 CNVR (conversion ready).
            BusVoltage => (ushort)(((ushort)Math.Clamp(Math.Round(BusVolts / 0.004), 0, 8191) << 3) | 0x2),
            Current => unchecked((ushort)(short)(shunt * _registers[Calibration] / 4096)),
            Power => (ushort)Math.Abs(shunt * _registers[Calibration] / 4096 * (int)Math.Round(BusVolts / 0.004) / 5000),
            _ => _registers[register],
        };
    }
}
