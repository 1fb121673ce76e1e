using System.Net.Sockets;
using System.Security.Cryptography;

namespace GatewayAgent.Sip.Rtp;

/// <summary>
/// Sends a G.711 RTP stream (RFC 3550, RFC 3551): one 20 ms packet of 160 samples every 20 ms, silence, a tone or the
/// audio of an <see cref="IRtpPayloadSource"/>,
/// from a bound UDP socket to the peer, paced by a timer from the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// SSRC, first sequence number and first timestamp are random (RFC 3550 §5.1). The first packet carries the marker bit.
/// When the loop wakes late it sends the packets that fell due, up to <see cref="MaxCatchUpPackets"/>; beyond that it
/// skips ahead, leaving a timestamp gap as a real-time source should. The socket stays the caller's to close.
/// </remarks>
public sealed class RtpSender : IAsyncDisposable
{
    /// <summary>The packetization interval.</summary>
    public static readonly TimeSpan PacketInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Samples (and payload bytes) per packet: 20 ms at 8 kHz.</summary>
    public const int SamplesPerPacket = 160;

    /// <summary>The most packets sent back-to-back to catch up after a late wake-up.</summary>
    public const int MaxCatchUpPackets = 5;

    private readonly Socket _socket;
    private readonly RtpSenderOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ushort _initialSequenceNumber;
    private readonly uint _initialTimestamp;
    private readonly byte[] _packet = new byte[RtpHeader.Size + SamplesPerPacket];
    private readonly short[] _samples = new short[SamplesPerPacket];
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stopping;
    private PeriodicTimer? _activeTimer;
    private Task? _loop;
    private bool _started;
    private bool _disposed;
    private long _packetsSent;
    private long _bytesSent;
    private long _sendErrors;

    /// <summary>Creates a sender; nothing is sent until <see cref="StartAsync"/>.</summary>
    /// <param name="socket">A bound UDP socket, typically <see cref="RtpPortLease.Socket"/>.</param>
    /// <param name="options">Peer, codec and content.</param>
    /// <param name="timeProvider">The clock that paces the packets.</param>
    public RtpSender(Socket socket, RtpSenderOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (socket.SocketType != SocketType.Dgram)
        {
            throw new ArgumentException("RTP is sent over a UDP (datagram) socket.", nameof(socket));
        }

        options.Validate();
        _socket = socket;
        _options = options;
        _timeProvider = timeProvider;

        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        Ssrc = BitConverter.ToUInt32(random);
        _initialSequenceNumber = BitConverter.ToUInt16(random[4..]);
        _initialTimestamp = BitConverter.ToUInt32(random[6..]);
    }

    /// <summary>The synchronization source identifier of this stream.</summary>
    public uint Ssrc { get; }

    /// <summary>The number of packets handed to the socket.</summary>
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>The bytes (RTP header and payload) handed to the socket.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>The number of sends the socket refused (e.g. no route); the stream goes on after one.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Whether the stream is running.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _loop is { IsCompleted: false };
            }
        }
    }

    /// <summary>Completes when the stream has ended: stopped, or its socket closed under it (completed before a start).</summary>
    internal Task Completion
    {
        get
        {
            lock (_gate)
            {
                return _loop ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>Sends the first packet now and starts the 20 ms loop. A sender starts once.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("This RTP sender has already been started.");
            }

            _started = true;
            _stopping = new CancellationTokenSource();

            // The timer and the start instant are taken here, not inside the loop, so that time advanced
            // right after StartAsync returns is already counted.
            var timer = new PeriodicTimer(PacketInterval, _timeProvider);
            _activeTimer = timer;
            var start = _timeProvider.GetTimestamp();
            _loop = RunAsync(timer, start, _stopping.Token);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops the stream and waits for the loop to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task? running;
        lock (_gate)
        {
            running = _loop;

            // Disposing the timer ends the loop's wait with "false": no OperationCanceledException per call.
            _activeTimer?.Dispose();
        }

        if (running is not null)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the stream and releases the timer; the socket stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping?.Dispose();
    }

    private async Task RunAsync(PeriodicTimer timer, long start, CancellationToken cancellationToken)
    {
        using (timer)
        {
            long nextIndex = 0;
            try
            {
                while (true)
                {
                    var elapsed = _timeProvider.GetElapsedTime(start);
                    var dueIndex = elapsed.Ticks / PacketInterval.Ticks;
                    if (dueIndex - nextIndex >= MaxCatchUpPackets)
                    {
                        nextIndex = dueIndex - MaxCatchUpPackets + 1;
                    }

                    for (; nextIndex <= dueIndex; nextIndex++)
                    {
                        await SendPacketAsync(nextIndex, cancellationToken).ConfigureAwait(false);
                    }

                    if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped.
            }
            catch (ObjectDisposedException)
            {
                // The socket was closed under us: the call is over, and so is the stream.
            }
        }
    }

    private async ValueTask SendPacketAsync(long index, CancellationToken cancellationToken)
    {
        if (_options.ByteBudget is { } budget && BytesSent + _packet.Length > budget())
        {
            return; // over the budget: skipped, the timestamp moves on
        }

        var sent = PacketsSent;
        var header = new RtpHeader(
            (byte)_options.EffectivePayloadType,
            Marker: sent == 0,
            SequenceNumber: unchecked((ushort)(_initialSequenceNumber + sent)),
            Timestamp: unchecked((uint)(_initialTimestamp + (index * SamplesPerPacket))),
            Ssrc);
        header.WriteTo(_packet);
        FillPayload(index, _packet.AsSpan(RtpHeader.Size));

        try
        {
            await _socket.SendToAsync(_packet, SocketFlags.None, _options.RemoteEndpoint, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _packetsSent);
            Interlocked.Add(ref _bytesSent, _packet.Length);
        }
        catch (SocketException)
        {
            // An unreachable peer or a full buffer loses this packet, not the stream.
            Interlocked.Increment(ref _sendErrors);
        }
    }

    private void FillPayload(long index, Span<byte> payload)
    {
        if (_options.PayloadSource is { } source)
        {
            source.Fill(_options.Codec, payload);
            return;
        }

        if (_options.Content == RtpAudioContent.Silence)
        {
            payload.Fill(G711.Silence(_options.Codec));
            return;
        }

        // The phase follows the absolute sample number, so the tone stays continuous across packets and skips.
        var firstSample = index * SamplesPerPacket;
        var peak = _options.ToneAmplitude * short.MaxValue;
        for (var i = 0; i < SamplesPerPacket; i++)
        {
            var cycles = _options.ToneFrequency * (firstSample + i) / G711.SampleRate;
            cycles -= Math.Floor(cycles);
            _samples[i] = (short)Math.Round(peak * Math.Sin(2 * Math.PI * cycles));
        }

        G711.Encode(_options.Codec, _samples, payload);
    }
}
