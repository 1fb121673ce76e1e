using System.Buffers;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// Received datagrams waiting to be parsed, in two queues bounded by bytes (issue 12 item 2): the known probers' and
/// everyone else's. The reader takes the probers' first, so a flood waiting to be parsed never delays a probe; a
/// datagram that does not fit its queue's budget is dropped at once (the caller counts it), so memory is bounded by
/// bytes whatever the number or the size of the datagrams. A datagram that waited in the ordinary queue longer than
/// its maximum delay is dropped when it comes out (issue 13: the queue's delay stays bounded under overload, so the
/// agent answers fresh requests instead of stale ones). Buffers come from the shared array pool.
/// </summary>
internal sealed class UdpReceiveQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<Item> _priority = new();
    private readonly Queue<Item> _ordinary = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly long _maxOrdinaryBytes;
    private readonly long _maxPriorityBytes;
    private readonly TimeProvider _time;
    private readonly long _maxDelayTicks;
    private readonly Action? _onStale;
    private long _ordinaryBytes;
    private long _priorityBytes;

    public UdpReceiveQueue(long maxOrdinaryBytes, long maxPriorityBytes, TimeSpan maxDelay = default, TimeProvider? time = null, Action? onStale = null)
    {
        _onStale = onStale;
        _maxOrdinaryBytes = maxOrdinaryBytes;
        _maxPriorityBytes = maxPriorityBytes;
        _time = time ?? TimeProvider.System;
        _maxDelayTicks = maxDelay <= TimeSpan.Zero ? long.MaxValue : (long)(maxDelay.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>Bytes now held by the ordinary (non-prober) queue.</summary>
    public long OrdinaryBytes
    {
        get
        {
            lock (_gate)
            {
                return _ordinaryBytes;
            }
        }
    }

    /// <summary>Copies <paramref name="data"/> into the queue; false (nothing kept) when its budget has no room.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> data, SipTarget source, bool priority, out long queuedBytes)
    {
        lock (_gate)
        {
            var held = priority ? _priorityBytes : _ordinaryBytes;
            if (held + data.Length > (priority ? _maxPriorityBytes : _maxOrdinaryBytes))
            {
                queuedBytes = held;
                return false;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(data.Length);
            data.CopyTo(buffer);
            var item = new Item(buffer, data.Length, source, _time.GetTimestamp());
            if (priority)
            {
                _priority.Enqueue(item);
                queuedBytes = _priorityBytes += data.Length;
            }
            else
            {
                _ordinary.Enqueue(item);
                queuedBytes = _ordinaryBytes += data.Length;
            }
        }

        _available.Release();
        return true;
    }

    /// <summary>
    /// Waits for the next datagram, the probers' first, skipping (and counting) ordinary ones that waited too long; the
    /// caller returns its buffer with <see cref="Return"/>.
    /// </summary>
    public async ValueTask<Item> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            Item item;
            lock (_gate)
            {
                if (_priority.TryDequeue(out item))
                {
                    _priorityBytes -= item.Length;
                    return item;
                }

                item = _ordinary.Dequeue();
                _ordinaryBytes -= item.Length;
            }

            if (_time.GetTimestamp() - item.QueuedAt <= _maxDelayTicks)
            {
                return item;
            }

            _onStale?.Invoke();
            Return(item);
        }
    }

    public static void Return(Item item) => ArrayPool<byte>.Shared.Return(item.Buffer);

    /// <summary>Drops what is still queued (at stop).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var item in _priority.Concat(_ordinary))
            {
                Return(item);
            }

            _priority.Clear();
            _ordinary.Clear();
            _priorityBytes = 0;
            _ordinaryBytes = 0;
        }
    }

    public void Dispose()
    {
        Clear();
        _available.Dispose();
    }

    internal readonly record struct Item(byte[] Buffer, int Length, SipTarget Source, long QueuedAt)
    {
        public ReadOnlySpan<byte> Data => Buffer.AsSpan(0, Length);
    }
}
