using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Tests.Rtp;

[Trait("Ring", "unit")]
public sealed class RtpHeaderTests
{
    [Fact]
    public void WriteTo_LaysOutTheFixedHeaderBigEndian()
    {
        var buffer = new byte[RtpHeader.Size];

        new RtpHeader(8, Marker: true, SequenceNumber: 0x1234, Timestamp: 0xA1B2C3D4, Ssrc: 0x01020304).WriteTo(buffer);

        Assert.Equal([0x80, 0x88, 0x12, 0x34, 0xA1, 0xB2, 0xC3, 0xD4, 0x01, 0x02, 0x03, 0x04], buffer);
    }

    [Fact]
    public void TryParse_WhatWriteToWrote_RoundTrips()
    {
        var packet = new byte[RtpHeader.Size + 160];
        var header = new RtpHeader(0, false, 65535, uint.MaxValue, 42);
        header.WriteTo(packet);

        Assert.True(RtpHeader.TryParse(packet, out var parsed, out var offset, out var length));
        Assert.Equal(header, parsed);
        Assert.Equal(12, offset);
        Assert.Equal(160, length);
    }

    [Fact]
    public void TryParse_CsrcsExtensionAndPadding_FindsThePayload()
    {
        // V=2 P=1 X=1 CC=1, PT 0; one CSRC; a one-word extension; 4 payload bytes; 3 bytes of padding.
        byte[] packet =
        [
            0xB1, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1,
            0, 0, 0, 9,
            0xBE, 0xDE, 0x00, 0x01, 1, 2, 3, 4,
            0xAA, 0xBB, 0xCC, 0xDD,
            0, 0, 3,
        ];

        Assert.True(RtpHeader.TryParse(packet, out _, out var offset, out var length));
        Assert.Equal(24, offset);
        Assert.Equal(4, length);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0, 0, 0 })]
    [InlineData(new byte[] { 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x8F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE })]
    [InlineData(new byte[] { 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200 })]
    public void TryParse_TruncatedOrNotVersion2_ReturnsFalse(byte[] packet)
    {
        Assert.False(RtpHeader.TryParse(packet, out _, out _, out _));
    }
}
