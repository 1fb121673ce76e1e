using System.Buffers.Binary;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>The prompt files (SS-3): the shipped set loads, and WAV files are read as 8 kHz mono G.711 or PCM, nothing else.</summary>
[Trait("Ring", "unit")]
public sealed class PromptAudioTests
{
    [Fact]
    public void TheShippedDefaultSet_HasEveryPrompt_AsMuLawWav()
    {
        Assert.True(PromptLibrary.TryLoad("ivr-prompts", out var library, out var error), error);
        foreach (var prompt in IvrPrompts.All)
        {
            Assert.InRange(library[prompt].Duration, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void MuLawWav_IsReadAsItIs()
    {
        var data = new byte[] { 1, 2, 3, 0xFF };
        Assert.True(PromptAudio.TryRead(Wav(7, 8000, 1, 8, data), raw: false, out var audio, out var error), error);
        Assert.Equal(data, audio.MuLaw);
    }

    [Fact]
    public void PcmWav_IsEncodedToMuLaw()
    {
        var data = new byte[4];
        BinaryPrimitives.WriteInt16LittleEndian(data, 0);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2), 1000);
        Assert.True(PromptAudio.TryRead(Wav(1, 8000, 1, 16, data), raw: false, out var audio, out var error), error);
        Assert.Equal([G711.LinearToMuLaw(0), G711.LinearToMuLaw(1000)], audio.MuLaw);
    }

    [Theory]
    [InlineData(7, 16000, 1, 8, "8000 Hz")]
    [InlineData(7, 8000, 2, 8, "mono")]
    [InlineData(3, 8000, 1, 32, "format 3")]
    public void OtherFormats_AreRefused_WithTheReason(int format, int rate, int channels, int bits, string reason)
    {
        Assert.False(PromptAudio.TryRead(Wav(format, rate, channels, bits, [1, 2]), raw: false, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAWav_AndATruncatedChunk_AreRefused()
    {
        Assert.False(PromptAudio.TryRead("hello world!"u8, raw: false, out _, out _));
        var truncated = Wav(7, 8000, 1, 8, new byte[100])[..60];
        Assert.False(PromptAudio.TryRead(truncated, raw: false, out _, out var error));
        Assert.Contains("past the end", error, StringComparison.Ordinal);
    }

    internal static byte[] Wav(int format, int rate, int channels, int bits, byte[] data)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(4 + 8 + 16 + 8 + data.Length);
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);
        writer.Write((short)format);
        writer.Write((short)channels);
        writer.Write(rate);
        writer.Write(rate * channels * bits / 8);
        writer.Write((short)(channels * bits / 8));
        writer.Write((short)bits);
        writer.Write("data"u8);
        writer.Write(data.Length);
        writer.Write(data);
        writer.Flush();
        return stream.ToArray();
    }
}
