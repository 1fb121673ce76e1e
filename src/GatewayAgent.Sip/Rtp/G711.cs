namespace GatewayAgent.Sip.Rtp;

/// <summary>
/// G.711 µ-law and A-law companding of 16-bit linear samples, bit-exact with the widely used Sun Microsystems
/// reference implementation (the one SoX and Python's audioop use).
/// </summary>
public static class G711
{
    /// <summary>Samples per second.</summary>
    public const int SampleRate = 8000;

    /// <summary>µ-law encoding of digital silence (linear 0).</summary>
    public const byte MuLawSilence = 0xFF;

    /// <summary>A-law encoding of digital silence (linear 0).</summary>
    public const byte ALawSilence = 0xD5;

    private const int MuLawBias = 0x84 >> 2; // the bias of 132 on the 14-bit magnitude scale
    private const int MuLawClip = 8159;

    /// <summary>The encoded byte of linear 0 for a codec.</summary>
    public static byte Silence(G711Codec codec) => codec == G711Codec.Pcma ? ALawSilence : MuLawSilence;

    /// <summary>Encodes one 16-bit linear sample as µ-law.</summary>
    public static byte LinearToMuLaw(short sample)
    {
        int value = sample >> 2; // µ-law works on 14 bits
        int mask;
        if (value < 0)
        {
            value = -value;
            mask = 0x7F;
        }
        else
        {
            mask = 0xFF;
        }

        if (value > MuLawClip)
        {
            value = MuLawClip;
        }

        value += MuLawBias;
        var segment = Segment(value, 0x3F);
        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var code = (segment << 4) | ((value >> (segment + 1)) & 0x0F);
        return (byte)(code ^ mask);
    }

    /// <summary>Encodes one 16-bit linear sample as A-law.</summary>
    public static byte LinearToALaw(short sample)
    {
        int value = sample >> 3; // A-law works on 13 bits
        int mask;
        if (value >= 0)
        {
            mask = 0xD5; // sign bit set, even bits inverted
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }

        var segment = Segment(value, 0x1F);
        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var code = segment << 4;
        code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(code ^ mask);
    }

    /// <summary>Decodes one µ-law byte to a 16-bit linear sample.</summary>
    public static short MuLawToLinear(byte code)
    {
        var inverted = ~code & 0xFF;
        var magnitude = (((inverted & 0x0F) << 3) + 0x84) << ((inverted & 0x70) >> 4);
        return (short)((inverted & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84);
    }

    /// <summary>Decodes one A-law byte to a 16-bit linear sample.</summary>
    public static short ALawToLinear(byte code)
    {
        var value = code ^ 0x55;
        var magnitude = (value & 0x0F) << 4;
        var segment = (value & 0x70) >> 4;
        magnitude = segment switch
        {
            0 => magnitude + 8,
            1 => magnitude + 0x108,
            _ => (magnitude + 0x108) << (segment - 1),
        };
        return (short)((value & 0x80) != 0 ? magnitude : -magnitude);
    }

    /// <summary>Encodes linear samples into a destination of the same length.</summary>
    public static void Encode(G711Codec codec, ReadOnlySpan<short> samples, Span<byte> destination)
    {
        if (destination.Length < samples.Length)
        {
            throw new ArgumentException("The destination is shorter than the samples.", nameof(destination));
        }

        for (var i = 0; i < samples.Length; i++)
        {
            destination[i] = codec == G711Codec.Pcma ? LinearToALaw(samples[i]) : LinearToMuLaw(samples[i]);
        }
    }

    /// <summary>Encodes one linear sample with a codec.</summary>
    public static byte Encode(G711Codec codec, short sample) =>
        codec == G711Codec.Pcma ? LinearToALaw(sample) : LinearToMuLaw(sample);

    /// <summary>Decodes one byte with a codec.</summary>
    public static short Decode(G711Codec codec, byte code) =>
        codec == G711Codec.Pcma ? ALawToLinear(code) : MuLawToLinear(code);

    // The segment (exponent) of a magnitude: the first i with value <= firstEnd·2^i, or 8 when beyond the last.
    private static int Segment(int value, int firstEnd)
    {
        var end = firstEnd;
        for (var segment = 0; segment < 8; segment++)
        {
            if (value <= end)
            {
                return segment;
            }

            end = (end << 1) | 1;
        }

        return 8;
    }
}
