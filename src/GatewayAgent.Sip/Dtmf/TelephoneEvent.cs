using System.Buffers.Binary;

namespace GatewayAgent.Sip.Dtmf;

/// <summary>
/// One RFC 4733 §2.3 telephone-event payload (4 bytes): the event code, the end bit, the volume and the duration so far
/// in timestamp units. Events 0–15 are the DTMF keys <c>0-9 * # A-D</c> (§3.2).
/// </summary>
/// <param name="Event">The event code, 0–255.</param>
/// <param name="IsEnd">The E bit: the event has ended; the packet is sent three times (§2.5.1.4).</param>
/// <param name="Volume">The power level in −dBm0, 0–63.</param>
/// <param name="Duration">The duration so far, in RTP timestamp units (1/8000 s for telephone-event/8000).</param>
public readonly record struct TelephoneEvent(byte Event, bool IsEnd, byte Volume, ushort Duration)
{
    /// <summary>The size of one event block.</summary>
    public const int Size = 4;

    /// <summary>The DTMF key of the event, or null for an event that is not a key (tones, 16 flash...).</summary>
    public char? Key => DtmfKeys.FromEvent(Event);

    /// <summary>Reads the first event block of a telephone-event payload; false when it is shorter than 4 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent value)
    {
        if (payload.Length < Size)
        {
            value = default;
            return false;
        }

        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>Writes the event block into the first 4 bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"The destination needs at least {Size} bytes.", nameof(destination));
        }

        destination[0] = Event;
        destination[1] = (byte)((IsEnd ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
    }
}
