using System.Buffers.Binary;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>The prompt files (SS-3): the shipped set loads, and WAV files are read as 8 kHz mono G.711 or PCM, nothing else.</summary>
[Trait("Ring", "unit")]
public sealed class PromptAudioTests
{
    [Fact]
    public void TheShippedDefaultSet_HasEveryPrompt_AsMuLawWav_ShorterThanHalfTheKeyTimeout()
    {
        Assert.True(PromptLibrary.TryLoad("ivr-prompts", out var library, out var error), error);
        foreach (var prompt in IvrPrompts.All)
        {
            // a spoken sentence, leaving the caller at least half the default time for each key (InterDigitTimeout)
            Assert.InRange(library[prompt].Duration, TimeSpan.FromSeconds(1.5), new IvrOptions().InterDigitTimeout / 2);
        }
    }

    /// <summary>
    /// The shipped prompts speak their sentences (SS-3: G.711 audio files, a default set shipped): in speech the rate of
    /// zero crossings changes from sound to sound (vowels, fricatives), in a tone it stays put. The former placeholder
    /// beeps measured a spread of 0.16–0.19 (relative standard deviation over the 20 ms frames with sound), the spoken
    /// set 0.36–0.46.
    /// </summary>
    [Fact]
    public void TheShippedPrompts_AreSpeech_NotTones()
    {
        Assert.True(PromptLibrary.TryLoad("ivr-prompts", out var library, out var error), error);
        foreach (var prompt in IvrPrompts.All)
        {
            var samples = library[prompt].MuLaw.Select(G711.MuLawToLinear).Select(s => (double)s).ToArray();
            var frames = samples.Chunk(160).Where(f => f.Length == 160).ToArray();
            var energies = frames.Select(f => f.Sum(v => v * v) / f.Length).ToArray();
            var loudest = energies.Max();
            var crossings = frames.Where((_, i) => energies[i] > loudest / 100)
                .Select(f => f.Zip(f.Skip(1)).Count(p => p.First < 0 != p.Second < 0) / (double)f.Length).ToArray();
            var mean = crossings.Average();
            var spread = Math.Sqrt(crossings.Average(c => (c - mean) * (c - mean))) / mean;

            Assert.True(crossings.Length >= 50, $"{prompt}: only {crossings.Length} frames with sound");
            Assert.True(spread > 0.3, $"{prompt}: zero-crossing spread {spread:0.00}, a tone rather than speech");
        }
    }

    [Fact]
    public void TheShippedManifest_SaysWhatEveryPromptSays()
    {
        var lines = File.ReadAllLines(Path.Combine(PromptLibrary.Resolve("ivr-prompts"), "prompts.txt"))
            .Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f);
        foreach (var prompt in IvrPrompts.All)
        {
            var file = IvrPrompts.FileName(prompt);
            Assert.True(lines.TryGetValue(file, out var fields), $"prompts.txt has no line for {file}");
            Assert.Equal(3, fields.Length);
            Assert.All(fields, f => Assert.False(string.IsNullOrWhiteSpace(f)));
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
