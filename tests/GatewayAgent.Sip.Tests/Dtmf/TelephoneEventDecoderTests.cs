using GatewayAgent.Sip.Dtmf;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Tests.Dtmf;

/// <summary>RFC 4733 decoding as the IVR (SS-3) uses it: one key per press, redundant end packets dropped by timestamp.</summary>
[Trait("Ring", "unit")]
public sealed class TelephoneEventDecoderTests
{
    private const int EventType = 101;
    private ushort _sequence = 1000;

    [Fact]
    public void OnePress_WithItsThreeEndPackets_IsOneKey()
    {
        var decoder = new TelephoneEventDecoder(EventType);
        var keys = Feed(decoder, Press(5, timestamp: 8000));

        Assert.Equal("5", new string([.. keys]));
        Assert.Equal(1, decoder.KeysReported);
    }

    [Fact]
    public void EveryKey_MapsToItsEventCode()
    {
        var decoder = new TelephoneEventDecoder(EventType);
        var packets = new List<byte[]>();
        for (var code = 0; code < 16; code++)
        {
            packets.AddRange(Press(code, timestamp: (uint)(1000 * (code + 1))));
        }

        Assert.Equal("0123456789*#ABCD", new string([.. Feed(decoder, [.. packets])]));
    }

    [Fact]
    public void TheSameKeyTwice_WithTwoTimestamps_IsTwoKeys()
    {
        var decoder = new TelephoneEventDecoder(EventType);
        var keys = Feed(decoder, [.. Press(1, 1600), .. Press(1, 3200)]);

        Assert.Equal("11", new string([.. keys]));
    }

    [Fact]
    public void AnEventWhoseEndPacketsWereAllLost_IsReportedWhenTheNextOneBegins()
    {
        var decoder = new TelephoneEventDecoder(EventType);
        var lostEnd = Press(7, 1600).Where(p => !IsEnd(p)).ToArray();
        var keys = Feed(decoder, [.. lostEnd, .. Press(8, 3200)]);

        Assert.Equal("78", new string([.. keys]));
    }

    [Fact]
    public void ALatePacketOfAReportedEvent_IsDropped()
    {
        var decoder = new TelephoneEventDecoder(EventType);
        var press = Press(3, 1600);
        var keys = Feed(decoder, [.. press, press[0]]);

        Assert.Equal("3", new string([.. keys]));
    }

    [Fact]
    public void OtherPayloadTypes_AndMalformedPackets_AreIgnored()
    {
        var decoder = new TelephoneEventDecoder(EventType);
        var audio = Packet(0, 1600, new byte[160], marker: false);
        var otherEvents = Press(4, 3200, payloadType: 96);
        var shortPayload = Packet(EventType, 4800, [4, 0x80], marker: true);
        var keys = Feed(decoder, [audio, .. otherEvents, shortPayload, [0x80, 1, 2], []]);

        Assert.Empty(keys);
    }

    [Fact]
    public void AnEventThatIsNotAKey_IsNotReported()
    {
        var decoder = new TelephoneEventDecoder(EventType);
        var keys = Feed(decoder, [.. Press(16, 1600), .. Press(9, 3200)]); // 16 = flash

        Assert.Equal("9", new string([.. keys]));
    }

    [Fact]
    public void TelephoneEvent_RoundTrips()
    {
        var bytes = new byte[TelephoneEvent.Size];
        new TelephoneEvent(11, IsEnd: true, Volume: 10, Duration: 800).WriteTo(bytes);

        Assert.True(TelephoneEvent.TryParse(bytes, out var read));
        Assert.Equal(new TelephoneEvent(11, true, 10, 800), read);
        Assert.Equal('#', read.Key);
    }

    private static List<char> Feed(TelephoneEventDecoder decoder, byte[][] packets)
    {
        var keys = new List<char>();
        foreach (var packet in packets)
        {
            decoder.Read(packet, keys);
        }

        return keys;
    }

    /// <summary>A press as RFC 4733 §2.5 sends it: 3 updates (the first with the marker bit), then the end packet 3 times.</summary>
    private byte[][] Press(int code, uint timestamp, int payloadType = EventType)
    {
        var packets = new List<byte[]>();
        for (var i = 1; i <= 3; i++)
        {
            packets.Add(Packet(payloadType, timestamp, Event(code, end: false, (ushort)(160 * i)), marker: i == 1));
        }

        for (var i = 0; i < 3; i++)
        {
            packets.Add(Packet(payloadType, timestamp, Event(code, end: true, 640), marker: false));
        }

        return [.. packets];
    }

    private static byte[] Event(int code, bool end, ushort duration)
    {
        var payload = new byte[TelephoneEvent.Size];
        new TelephoneEvent((byte)code, end, 10, duration).WriteTo(payload);
        return payload;
    }

    private byte[] Packet(int payloadType, uint timestamp, byte[] payload, bool marker)
    {
        var packet = new byte[RtpHeader.Size + payload.Length];
        new RtpHeader((byte)payloadType, marker, _sequence++, timestamp, 0x1234).WriteTo(packet);
        payload.CopyTo(packet, RtpHeader.Size);
        return packet;
    }

    private static bool IsEnd(byte[] packet) => packet.Length >= RtpHeader.Size + 2 && (packet[RtpHeader.Size + 1] & 0x80) != 0;
}
