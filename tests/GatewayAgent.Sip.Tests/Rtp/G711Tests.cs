using System.Security.Cryptography;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Tests.Rtp;

[Trait("Ring", "unit")]
public sealed class G711Tests
{
    [Fact]
    public void Silence_IsTheEncodingOfZero()
    {
        Assert.Equal(0xFF, G711.LinearToMuLaw(0));
        Assert.Equal(0xD5, G711.LinearToALaw(0));
        Assert.Equal(0xFF, G711.Silence(G711Codec.Pcmu));
        Assert.Equal(0xD5, G711.Silence(G711Codec.Pcma));
    }

    // Expected bytes from the Sun reference implementation (Python's audioop.lin2ulaw / lin2alaw).
    [Theory]
    [InlineData(0, 0xFF, 0xD5)]
    [InlineData(1, 0xFF, 0xD5)]
    [InlineData(-1, 0x7E, 0x55)]
    [InlineData(7, 0xFE, 0xD5)]
    [InlineData(-8, 0x7E, 0x55)]
    [InlineData(31, 0xFB, 0xD4)]
    [InlineData(-32, 0x7B, 0x54)]
    [InlineData(100, 0xF2, 0xD3)]
    [InlineData(-100, 0x72, 0x53)]
    [InlineData(132, 0xEF, 0xDD)]
    [InlineData(-132, 0x6F, 0x5D)]
    [InlineData(255, 0xE7, 0xDA)]
    [InlineData(-256, 0x67, 0x5A)]
    [InlineData(1000, 0xCE, 0xFA)]
    [InlineData(-1000, 0x4E, 0x7A)]
    [InlineData(4095, 0xAF, 0x9A)]
    [InlineData(-4096, 0x2F, 0x1A)]
    [InlineData(8000, 0xA0, 0x8A)]
    [InlineData(-8000, 0x20, 0x0A)]
    [InlineData(12345, 0x97, 0xBD)]
    [InlineData(-12345, 0x17, 0x3D)]
    [InlineData(16384, 0x8F, 0xA5)]
    [InlineData(-16384, 0x0F, 0x3A)]
    [InlineData(30000, 0x82, 0xA8)]
    [InlineData(-30000, 0x02, 0x28)]
    [InlineData(32124, 0x80, 0xAA)]
    [InlineData(-32124, 0x00, 0x2A)]
    [InlineData(32767, 0x80, 0xAA)]
    [InlineData(-32768, 0x00, 0x2A)]
    public void Encode_MatchesReferenceValues(short sample, byte muLaw, byte aLaw)
    {
        Assert.Equal(muLaw, G711.LinearToMuLaw(sample));
        Assert.Equal(aLaw, G711.LinearToALaw(sample));
        Assert.Equal(muLaw, G711.Encode(G711Codec.Pcmu, sample));
        Assert.Equal(aLaw, G711.Encode(G711Codec.Pcma, sample));
    }

    [Fact]
    public void Encode_EverySample_IsBitExactWithTheReference()
    {
        var muLaw = new byte[65536];
        var aLaw = new byte[65536];
        for (var sample = short.MinValue; ; sample++)
        {
            muLaw[sample + 32768] = G711.LinearToMuLaw(sample);
            aLaw[sample + 32768] = G711.LinearToALaw(sample);
            if (sample == short.MaxValue)
            {
                break;
            }
        }

        // SHA-256 of audioop.lin2ulaw / lin2alaw over -32768..32767.
        Assert.Equal("81d633c9e6972a18c74a58720b96cb8ca0bdd096d4060b646dd708c3b846019a", Convert.ToHexStringLower(SHA256.HashData(muLaw)));
        Assert.Equal("38488f6fd710f4686360edc4d38639f96c491595ef93f8eb8d62d5e07ca6ce7b", Convert.ToHexStringLower(SHA256.HashData(aLaw)));
    }

    [Fact]
    public void Decode_EveryByte_IsBitExactWithTheReference()
    {
        var muLaw = new byte[512];
        var aLaw = new byte[512];
        for (var code = 0; code < 256; code++)
        {
            BitConverter.TryWriteBytes(muLaw.AsSpan(code * 2), G711.MuLawToLinear((byte)code));
            BitConverter.TryWriteBytes(aLaw.AsSpan(code * 2), G711.ALawToLinear((byte)code));
        }

        // SHA-256 of audioop.ulaw2lin / alaw2lin (16-bit little-endian) over bytes 0..255.
        Assert.Equal("3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827", Convert.ToHexStringLower(SHA256.HashData(muLaw)));
        Assert.Equal("e04788d110e58ff8c70c93b8480190d973e3b67876b6119abbaec766cc75c174", Convert.ToHexStringLower(SHA256.HashData(aLaw)));
    }

    [Fact]
    public void DecodeThenEncode_GivesTheSameByte_ExceptMuLawNegativeZero()
    {
        for (var code = 0; code < 256; code++)
        {
            Assert.Equal((byte)code, G711.LinearToALaw(G711.ALawToLinear((byte)code)));
            Assert.Equal(code == 0x7F ? (byte)0xFF : (byte)code, G711.LinearToMuLaw(G711.MuLawToLinear((byte)code)));
        }
    }

    [Fact]
    public void Decode_KnownValues()
    {
        Assert.Equal(0, G711.MuLawToLinear(0xFF));
        Assert.Equal(32124, G711.MuLawToLinear(0x80));
        Assert.Equal(-32124, G711.MuLawToLinear(0x00));
        Assert.Equal(8, G711.ALawToLinear(0xD5));
        Assert.Equal(32256, G711.ALawToLinear(0xAA));
        Assert.Equal(-32256, G711.Decode(G711Codec.Pcma, 0x2A));
    }

    [Fact]
    public void Encode_Span_EncodesEachSample()
    {
        short[] samples = [0, 32767, -32768];
        var encoded = new byte[3];

        G711.Encode(G711Codec.Pcmu, samples, encoded);

        Assert.Equal([0xFF, 0x80, 0x00], encoded);
    }
}
