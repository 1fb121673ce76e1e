using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Dtmf;

/// <summary>
/// Turns a stream of RTP packets into DTMF keys, one per key press, by RFC 4733: packets of the negotiated
/// telephone-event payload type carry the event; all packets of one event share its RTP timestamp (§2.5.1.2), and its
/// end packet (E bit) is sent three times (§2.5.1.4). A key is reported at its first end packet; the redundant end
/// packets, and any packet of an event already reported, are recognised by their timestamp and dropped. When an event's
/// end packets are all lost, the key is still reported once the next event (another timestamp) begins. Not thread-safe:
/// one decoder per call, fed from its receive path.
/// </summary>
public sealed class TelephoneEventDecoder
{
    private readonly int _payloadType;
    private uint? _reportedTimestamp;
    private (uint Timestamp, char Key)? _open;

    /// <param name="payloadType">The telephone-event payload type negotiated in the SDP offer/answer (e.g. 101).</param>
    public TelephoneEventDecoder(int payloadType)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, 127);
        _payloadType = payloadType;
    }

    /// <summary>Keys reported so far.</summary>
    public int KeysReported { get; private set; }

    /// <summary>
    /// Reads one RTP packet (whole datagram); adds to <paramref name="keys"/> the keys it completes (at most two: an
    /// event whose end was lost, and this one). Packets of other payload types and malformed ones are ignored.
    /// </summary>
    public void Read(ReadOnlySpan<byte> packet, ICollection<char> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!RtpHeader.TryParse(packet, out var header, out var offset, out var length) || header.Value.PayloadType != _payloadType
            || !TelephoneEvent.TryParse(packet.Slice(offset, length), out var telephoneEvent))
        {
            return;
        }

        var timestamp = header.Value.Timestamp;
        if (timestamp == _reportedTimestamp)
        {
            return; // a redundant end packet, or a late packet of an event already reported
        }

        if (_open is { } open && open.Timestamp != timestamp)
        {
            Report(open.Timestamp, open.Key, keys); // a new event began before the last one's end arrived
        }

        if (telephoneEvent.Key is not { } key)
        {
            _open = null;
            return;
        }

        if (telephoneEvent.IsEnd)
        {
            Report(timestamp, key, keys);
        }
        else
        {
            _open = (timestamp, key);
        }
    }

    private void Report(uint timestamp, char key, ICollection<char> keys)
    {
        _open = null;
        _reportedTimestamp = timestamp;
        KeysReported++;
        keys.Add(key);
    }
}
