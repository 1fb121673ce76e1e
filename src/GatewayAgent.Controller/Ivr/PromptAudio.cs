using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// One prompt's audio as G.711 µ-law samples at 8 kHz, read from a WAV file: µ-law (format 7, what the shipped prompts
/// are), A-law (6) or 16-bit linear PCM (1), mono, 8000 Hz; anything else is refused with the reason. Raw µ-law files
/// (<c>.ul</c>/<c>.pcmu</c>, no header) are taken as they are.
/// </summary>
public sealed class PromptAudio
{
    /// <summary>The largest prompt file read: 2 MiB, over 4 minutes of µ-law.</summary>
    public const int MaxFileBytes = 2 * 1024 * 1024;

    private const int WaveFormatPcm = 1;
    private const int WaveFormatALaw = 6;
    private const int WaveFormatMuLaw = 7;

    public PromptAudio(byte[] muLaw) => MuLaw = muLaw ?? throw new ArgumentNullException(nameof(muLaw));

    /// <summary>The samples, µ-law encoded.</summary>
    public byte[] MuLaw { get; }

    /// <summary>How long it plays.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(MuLaw.Length / (double)G711.SampleRate);

    /// <summary>Reads a WAV (or raw µ-law) file's bytes; false with the reason when it is not 8 kHz mono G.711 or PCM.</summary>
    public static bool TryRead(ReadOnlySpan<byte> file, bool raw, [NotNullWhen(true)] out PromptAudio? audio, out string error)
    {
        audio = null;
        if (file.Length > MaxFileBytes)
        {
            error = $"larger than {MaxFileBytes} bytes";
            return false;
        }

        if (raw)
        {
            audio = new PromptAudio(file.ToArray());
            error = "";
            return true;
        }

        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            error = "not a RIFF/WAVE file";
            return false;
        }

        int? format = null;
        var offset = 12;
        while (offset + 8 <= file.Length)
        {
            var id = file.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file[(offset + 4)..]);
            var body = offset + 8;
            if (size > (uint)(file.Length - body))
            {
                error = "a chunk runs past the end of the file";
                return false;
            }

            var chunk = file.Slice(body, (int)size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (chunk.Length < 16)
                {
                    error = "fmt chunk too short";
                    return false;
                }

                format = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
                var channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
                var rate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
                if (channels != 1 || rate != G711.SampleRate)
                {
                    error = $"{channels} channel(s) at {rate} Hz; prompts are mono at 8000 Hz";
                    return false;
                }

                if (!(format is WaveFormatMuLaw or WaveFormatALaw && bits == 8) && !(format == WaveFormatPcm && bits == 16))
                {
                    error = $"format {format} with {bits} bits; prompts are G.711 µ-law (7) or A-law (6), or 16-bit PCM (1)";
                    return false;
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not { } found)
                {
                    error = "data before fmt";
                    return false;
                }

                audio = new PromptAudio(ToMuLaw(found, chunk));
                error = "";
                return true;
            }

            offset = body + (int)size + (int)(size & 1); // chunks are padded to even sizes
        }

        error = "no data chunk";
        return false;
    }

    private static byte[] ToMuLaw(int format, ReadOnlySpan<byte> data)
    {
        switch (format)
        {
            case WaveFormatMuLaw:
                return data.ToArray();
            case WaveFormatALaw:
                var fromALaw = new byte[data.Length];
                for (var i = 0; i < data.Length; i++)
                {
                    fromALaw[i] = G711.LinearToMuLaw(G711.ALawToLinear(data[i]));
                }

                return fromALaw;
            default:
                var fromPcm = new byte[data.Length / 2];
                for (var i = 0; i < fromPcm.Length; i++)
                {
                    fromPcm[i] = G711.LinearToMuLaw(BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]));
                }

                return fromPcm;
        }
    }
}
