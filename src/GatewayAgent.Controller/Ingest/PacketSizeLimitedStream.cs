namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// The embedded broker's packet-size cap (issue 12 item 8). Reads pass through while the MQTT fixed headers in them are
/// followed (type byte, then the Remaining Length varint, then that many bytes); a packet announcing more than
/// <paramref name="maxPacketBytes"/> fails the read before the broker sees its length, so it never allocates for it.
/// MQTTnet otherwise sizes its read buffer by the announced length, up to 256 MB a connection.
/// </summary>
internal sealed class PacketSizeLimitedStream(Stream inner, int maxPacketBytes) : Stream
{
    private State _state = State.Type;
    private long _length;
    private int _shift;
    private int _headerBytes;
    private long _bodyLeft;

    private enum State
    {
        Type,
        Length,
        Body,
    }

    /// <summary>The announced size that failed the read, for the log; 0 while none did.</summary>
    public long RefusedPacketBytes { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Follow(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Follow(buffer.AsSpan(offset, read));
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Follow(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case State.Type:
                    _state = State.Length;
                    _length = 0;
                    _shift = 0;
                    _headerBytes = 1;
                    i++;
                    break;
                case State.Length:
                    var b = bytes[i++];
                    _headerBytes++;
                    _length |= (long)(b & 0x7F) << _shift;
                    _shift += 7;
                    if ((b & 0x80) != 0 && _shift < 28)
                    {
                        break;
                    }

                    if (_length + _headerBytes > maxPacketBytes)
                    {
                        RefusedPacketBytes = _length + _headerBytes;
                        throw new IOException($"MQTT packet of {RefusedPacketBytes} bytes refused: the cap is {maxPacketBytes} bytes");
                    }

                    _bodyLeft = _length;
                    _state = _bodyLeft == 0 ? State.Type : State.Body;
                    break;
                default:
                    var take = (int)Math.Min(_bodyLeft, bytes.Length - i);
                    i += take;
                    _bodyLeft -= take;
                    if (_bodyLeft == 0)
                    {
                        _state = State.Type;
                    }

                    break;
            }
        }
    }
}
