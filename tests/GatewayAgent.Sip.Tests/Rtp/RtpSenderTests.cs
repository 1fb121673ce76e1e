using System.Net;
using System.Net.Sockets;
using GatewayAgent.Sip.Rtp;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Sip.Tests.Rtp;

[Trait("Ring", "integration")]
public sealed class RtpSenderTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);

    private readonly FakeTimeProvider _time = new();
    private readonly LoopbackRtpReceiver _receiver = new();
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public RtpSenderTests()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public void Dispose()
    {
        _socket.Dispose();
        _receiver.Dispose();
    }

    private RtpSender NewSender(G711Codec codec = G711Codec.Pcmu, RtpAudioContent content = RtpAudioContent.Silence, int? payloadType = null) =>
        new(_socket, new RtpSenderOptions { RemoteEndpoint = _receiver.Endpoint, Codec = codec, Content = content, PayloadType = payloadType }, _time);

    /// <summary>Stops the sender and checks how many packets it sent: once the loop has ended, every send it made is counted.</summary>
    private static async Task AssertSentAsync(RtpSender sender, int count)
    {
        await sender.StopAsync();
        Assert.Equal(count, sender.PacketsSent);
    }

    [Fact]
    public async Task StartAsync_SendsAPacketEvery20Milliseconds_WithConsecutiveSequenceAndTimestamp()
    {
        await using var sender = NewSender();

        await sender.StartAsync();
        var packets = new List<(RtpHeader Header, byte[] Payload)> { await _receiver.ReceiveAsync() };
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(Step);
            packets.Add(await _receiver.ReceiveAsync());
        }

        await AssertSentAsync(sender, 6);
        var first = packets[0].Header;
        Assert.True(first.Marker);
        Assert.Equal(0, first.PayloadType);
        Assert.Equal(sender.Ssrc, first.Ssrc);
        for (var i = 0; i < packets.Count; i++)
        {
            var (header, payload) = packets[i];
            Assert.Equal(i == 0, header.Marker);
            Assert.Equal(sender.Ssrc, header.Ssrc);
            Assert.Equal(unchecked((ushort)(first.SequenceNumber + i)), header.SequenceNumber);
            Assert.Equal(unchecked((uint)(first.Timestamp + (i * 160))), header.Timestamp);
            Assert.Equal(160, payload.Length);
            Assert.All(payload, b => Assert.Equal(0xFF, b));
        }
    }

    [Fact]
    public async Task StartAsync_PcmaOnDynamicPayloadType_SendsAlawSilenceWithThatType()
    {
        await using var sender = NewSender(G711Codec.Pcma, payloadType: 96);

        await sender.StartAsync();
        var (header, payload) = await _receiver.ReceiveAsync();

        Assert.Equal(96, header.PayloadType);
        Assert.All(payload, b => Assert.Equal(0xD5, b));
    }

    [Theory]
    [InlineData(G711Codec.Pcmu)]
    [InlineData(G711Codec.Pcma)]
    public async Task Tone_Is425HertzAtTheConfiguredLevel_ContinuousAcrossPackets(G711Codec codec)
    {
        await using var sender = NewSender(codec, RtpAudioContent.Tone);

        await sender.StartAsync();
        var samples = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            if (i > 0)
            {
                _time.Advance(Step);
            }

            var (_, payload) = await _receiver.ReceiveAsync();
            samples.AddRange(payload.Select(b => (double)G711.Decode(codec, b)));
        }

        // 200 ms holds exactly 85 cycles of 425 Hz, so the correlation is exact for a continuous tone.
        var at425 = Amplitude(samples, 425);
        var at1000 = Amplitude(samples, 1000);
        var expected = 0.22 * short.MaxValue;
        Assert.InRange(at425, expected * 0.97, expected * 1.03);
        Assert.True(at1000 < expected * 0.02, $"energy at 1 kHz: {at1000}");
        Assert.Equal(1600, samples.Count);
    }

    [Fact]
    public async Task LateWakeUp_CatchesUpWithTheDuePackets()
    {
        await using var sender = NewSender();
        await sender.StartAsync();
        var first = (await _receiver.ReceiveAsync()).Header;

        _time.Advance(Step * 3);
        var caughtUp = await _receiver.ReceiveAsync(3);

        Assert.Equal([1, 2, 3], caughtUp.Select(p => (int)(p.Header.Timestamp - first.Timestamp) / 160));
        Assert.Equal([1, 2, 3], caughtUp.Select(p => p.Header.SequenceNumber - first.SequenceNumber));
    }

    [Fact]
    public async Task LongStall_SkipsAheadLeavingATimestampGap()
    {
        await using var sender = NewSender();
        await sender.StartAsync();
        var first = (await _receiver.ReceiveAsync()).Header;

        _time.Advance(TimeSpan.FromSeconds(1)); // packet 50 is due; at most 5 are sent back-to-back
        var burst = await _receiver.ReceiveAsync(RtpSender.MaxCatchUpPackets);

        Assert.Equal([46, 47, 48, 49, 50], burst.Select(p => (int)(p.Header.Timestamp - first.Timestamp) / 160));
        Assert.Equal([1, 2, 3, 4, 5], burst.Select(p => p.Header.SequenceNumber - first.SequenceNumber));
        await AssertSentAsync(sender, 6);
    }

    [Fact]
    public async Task StopAsync_EndsTheStream()
    {
        var sender = NewSender();
        await sender.StartAsync();
        await _receiver.ReceiveAsync();

        await sender.StopAsync();
        _time.Advance(Step * 10);

        Assert.False(sender.IsRunning);
        Assert.Equal(1, sender.PacketsSent);
        Assert.Equal(0, _receiver.Pending);
        await sender.DisposeAsync();
    }

    [Fact]
    public async Task SocketClosedUnderTheSender_EndsTheStreamQuietly()
    {
        await using var sender = NewSender();
        await sender.StartAsync();
        await _receiver.ReceiveAsync();

        _socket.Dispose();
        _time.Advance(Step);

        // The loop ends by itself (before StopAsync, which would end it anyway), without throwing.
        await sender.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(sender.IsRunning);
        await sender.StopAsync();
    }

    [Fact]
    public async Task StartAsync_Twice_Throws()
    {
        await using var sender = NewSender();
        await sender.StartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => sender.StartAsync());
    }

    [Fact]
    public async Task StartAsync_AfterDispose_Throws()
    {
        var sender = NewSender();
        await sender.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => sender.StartAsync());
    }

    [Fact]
    public void Ssrc_IsRandomPerSender()
    {
        var ssrcs = Enumerable.Range(0, 8).Select(_ => NewSender().Ssrc).Distinct().Count();

        Assert.True(ssrcs > 1);
    }

    [Fact]
    public void Constructor_BadOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewSender(payloadType: 128));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new RtpSender(_socket, new RtpSenderOptions { RemoteEndpoint = _receiver.Endpoint, ToneFrequency = 4000 }, _time));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new RtpSender(_socket, new RtpSenderOptions { RemoteEndpoint = _receiver.Endpoint, ToneAmplitude = 1.5 }, _time));
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Throws<ArgumentException>(
            () => new RtpSender(tcp, new RtpSenderOptions { RemoteEndpoint = _receiver.Endpoint }, _time));
    }

    // The amplitude of one frequency component, by correlation with a sine and a cosine.
    private static double Amplitude(IReadOnlyList<double> samples, double frequency)
    {
        double sine = 0, cosine = 0;
        for (var n = 0; n < samples.Count; n++)
        {
            var angle = 2 * Math.PI * frequency * n / 8000;
            sine += samples[n] * Math.Sin(angle);
            cosine += samples[n] * Math.Cos(angle);
        }

        return 2 * Math.Sqrt((sine * sine) + (cosine * cosine)) / samples.Count;
    }
}
