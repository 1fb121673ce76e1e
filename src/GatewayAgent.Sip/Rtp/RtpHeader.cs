using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace GatewayAgent.Sip.Rtp;

/// <summary>The fixed 12-byte RTP header (RFC 3550 §5.1), version 2, without CSRCs or extension when written.</summary>
/// <param name="PayloadType">The payload type, 0–127.</param>
/// <param name="Marker">The marker bit; for audio, set on the first packet of a talkspurt.</param>
/// <param name="SequenceNumber">Increments by one per packet sent.</param>
/// <param name="Timestamp">The sampling instant of the first payload octet, in clock-rate units.</param>
/// <param name="Ssrc">The synchronization source identifier.</param>
public readonly record struct RtpHeader(byte PayloadType, bool Marker, ushort SequenceNumber, uint Timestamp, uint Ssrc)
{
    /// <summary>The size of the fixed header in bytes.</summary>
    public const int Size = 12;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of a buffer.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"The destination needs at least {Size} bytes.", nameof(destination));
        }

        destination[0] = 0x80; // V=2, P=0, X=0, CC=0
        destination[1] = (byte)((Marker ? 0x80 : 0) | (PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
    }

    /// <summary>
    /// Reads the header of a version-2 RTP packet and the offset and length of its payload
    /// (after CSRCs and any header extension, before padding); never throws.
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<byte> packet,
        [NotNullWhen(true)] out RtpHeader? header,
        out int payloadOffset,
        out int payloadLength)
    {
        header = null;
        payloadOffset = 0;
        payloadLength = 0;
        if (packet.Length < Size || (packet[0] >> 6) != 2)
        {
            return false;
        }

        var offset = Size + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]));
        }

        var end = packet.Length;
        if ((packet[0] & 0x20) != 0)
        {
            end -= packet[^1];
        }

        if (offset > end)
        {
            return false;
        }

        header = new RtpHeader(
            (byte)(packet[1] & 0x7F),
            (packet[1] & 0x80) != 0,
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]));
        payloadOffset = offset;
        payloadLength = end - offset;
        return true;
    }
}
