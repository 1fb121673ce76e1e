using System.Globalization;
using System.Text.Json;
using GatewayAgent.Contracts;
using GatewayAgent.Status;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Telemetry;

/// <summary>
/// The disk spool every event goes through: appended (one JSON line) to a segment file before anything is sent,
/// removed only when the broker acknowledged it (PUBACK), so nothing is lost across a broker outage or an agent
/// restart. Power events are fsynced at once, others within <see cref="SpoolLimits.FlushInterval"/>. The
/// acknowledged cursor (<c>cursor.json</c>) records what was delivered; segments wholly delivered are deleted.
/// Sequence numbers continue across restarts. Size and age bounds drop the oldest undelivered events, logged and counted.
/// </summary>
public sealed class EventSpool : IDisposable
{
    private const string SegmentExtension = ".seg";
    private const string CursorFile = "cursor.json";

    private readonly string _directory;
    private readonly SpoolLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, SpoolEntry> _pending = [];
    private readonly Queue<long> _priority = new();
    private readonly SortedSet<long> _ackedAhead = [];
    private readonly List<(string Path, long LastSeq)> _closedSegments = [];
    private readonly ITimer _flushTimer;
    private FileStream? _segment;
    private string? _segmentPath;
    private long _ackedThrough;
    private long _nextSeq;
    private long _pendingBytes;
    private long _dropped;
    private bool _dirty;
    private bool _cursorDirty;
    private bool _flushScheduled;
    private bool _disposed;

    private EventSpool(string directory, SpoolLimits limits, TimeProvider time, ILogger logger)
    {
        _directory = directory;
        _limits = limits;
        _time = time;
        _logger = logger;
        _flushTimer = time.CreateTimer(_ => OnFlushTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Directory => _directory;

    /// <summary>Undelivered events.</summary>
    public int Depth { get { lock (_gate) { return _pending.Count; } } }

    /// <summary>Bytes of undelivered events (what the size bound counts).</summary>
    public long PendingBytes { get { lock (_gate) { return _pendingBytes; } } }

    /// <summary>Events the size or age bound dropped since this spool was opened.</summary>
    public long Dropped { get { lock (_gate) { return _dropped; } } }

    /// <summary>The seq the next event gets.</summary>
    public long NextSeq { get { lock (_gate) { return _nextSeq; } } }

    /// <summary>Raised (outside the lock) after the depth changed.</summary>
    public event Action<int>? DepthChanged;

    /// <summary>Opens (creating) the spool in <paramref name="directory"/> and loads what earlier runs left undelivered.</summary>
    public static EventSpool Open(string directory, SpoolLimits limits, TimeProvider time, ILogger logger)
    {
        System.IO.Directory.CreateDirectory(directory);
        var spool = new EventSpool(directory, limits, time, logger);
        spool.Load();
        TelemetryLog.SpoolOpened(logger, directory, spool._pending.Count, spool._nextSeq);
        return spool;
    }

    /// <summary>
    /// Numbers the event, writes it to the spool and returns it. <paramref name="durable"/>: fsync before returning
    /// (power events). <paramref name="priority"/>: handed out before older undelivered events (power.lost).
    /// </summary>
    public AgentEvent Append(AgentEventNotice notice, int epoch, bool durable, bool priority)
    {
        AgentEvent evt;
        int depth;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var seq = _nextSeq++;
            evt = new AgentEvent
            {
                Id = Guid.CreateVersion7(notice.At).ToString("N"),
                Seq = seq,
                Ts = notice.At,
                Type = notice.Type,
                Detail = notice.Detail,
                Data = notice.Data,
            };
            var line = JsonSerializer.SerializeToUtf8Bytes(evt, ContractsJsonContext.Default.AgentEvent);
            var entry = new SpoolEntry(evt, epoch, line.Length + 1, priority);
            _pending.Add(seq, entry);
            _pendingBytes += entry.Bytes;
            if (priority)
            {
                _priority.Enqueue(seq);
            }

            try
            {
                WriteLine(seq, line);
                if (durable)
                {
                    _segment!.Flush(flushToDisk: true);
                    _dirty = false;
                }
                else
                {
                    _dirty = true;
                    ScheduleFlush();
                }
            }
            catch (IOException ex)
            {
                TelemetryLog.SpoolWriteFailed(_logger, notice.Type, ex);
            }

            EnforceBounds();
            depth = _pending.Count;
        }

        DepthChanged?.Invoke(depth);
        return evt;
    }

    /// <summary>The next event to publish: priority events first, then the oldest not already handed out.</summary>
    public bool TryLease(out SpoolEntry entry)
    {
        lock (_gate)
        {
            while (_priority.TryDequeue(out var seq))
            {
                if (_pending.TryGetValue(seq, out var candidate) && !candidate.Leased)
                {
                    candidate.Leased = true;
                    entry = candidate;
                    return true;
                }
            }

            foreach (var candidate in _pending.Values)
            {
                if (!candidate.Leased)
                {
                    candidate.Leased = true;
                    entry = candidate;
                    return true;
                }
            }
        }

        entry = null!;
        return false;
    }

    /// <summary>Hands out one particular event (a power.lost sent straight from the raising thread), if still undelivered and free.</summary>
    public bool TryLease(long seq, out SpoolEntry entry)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(seq, out var candidate) && !candidate.Leased)
            {
                candidate.Leased = true;
                entry = candidate;
                return true;
            }
        }

        entry = null!;
        return false;
    }

    /// <summary>Not delivered after all: hand it out again later.</summary>
    public void Release(SpoolEntry entry)
    {
        lock (_gate)
        {
            entry.Leased = false;
            if (entry.Priority && _pending.ContainsKey(entry.Seq))
            {
                _priority.Enqueue(entry.Seq);
            }
        }
    }

    /// <summary>After a connection ends: every handed-out event is undelivered again.</summary>
    public void ReleaseAll()
    {
        lock (_gate)
        {
            foreach (var entry in _pending.Values.Where(e => e.Leased))
            {
                entry.Leased = false;
                if (entry.Priority)
                {
                    _priority.Enqueue(entry.Seq);
                }
            }
        }
    }

    /// <summary>The broker acknowledged the event (PUBACK): it leaves the spool.</summary>
    public void Acknowledge(long seq)
    {
        int depth;
        lock (_gate)
        {
            if (!RemovePending(seq))
            {
                return;
            }

            depth = _pending.Count;
            AfterRemoval();
        }

        DepthChanged?.Invoke(depth);
    }

    /// <summary>fsyncs the segment and writes the acknowledged cursor now.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            FlushLocked();
        }
    }

    /// <summary>Drops events older than the age bound (also done on every append).</summary>
    public void EnforceBoundsNow()
    {
        int depth;
        lock (_gate)
        {
            EnforceBounds();
            depth = _pending.Count;
        }

        DepthChanged?.Invoke(depth);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _flushTimer.Dispose();
            try
            {
                FlushLocked();
            }
            catch (IOException)
            {
            }

            _segment?.Dispose();
            _segment = null;
            _disposed = true;
        }
    }

    private void OnFlushTimer()
    {
        lock (_gate)
        {
            _flushScheduled = false;
            if (_disposed)
            {
                return;
            }

            try
            {
                FlushLocked();
            }
            catch (IOException ex)
            {
                TelemetryLog.SpoolWriteFailed(_logger, "(flush)", ex);
            }
        }
    }

    private void ScheduleFlush()
    {
        if (!_flushScheduled)
        {
            _flushScheduled = true;
            _flushTimer.Change(_limits.FlushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void FlushLocked()
    {
        if (_dirty && _segment is not null)
        {
            _segment.Flush(flushToDisk: true);
            _dirty = false;
        }

        if (_cursorDirty)
        {
            WriteCursor();
            _cursorDirty = false;
            DeleteDeliveredSegments();
        }
    }

    private void WriteLine(long seq, byte[] line)
    {
        if (_segment is null || _segment.Length >= _limits.SegmentBytes)
        {
            if (_segment is not null)
            {
                _segment.Flush(flushToDisk: true);
                _closedSegments.Add((_segmentPath!, seq - 1));
                _segment.Dispose();
            }

            _segmentPath = Path.Combine(_directory, seq.ToString("D19", CultureInfo.InvariantCulture) + SegmentExtension);
            _segment = new FileStream(_segmentPath, FileMode.Append, FileAccess.Write, FileShare.Read, 4096);
        }

        _segment.Write(line);
        _segment.WriteByte((byte)'\n');
        // Into the page cache now, so a killed process loses nothing; fsync (power loss) is batched or immediate.
        _segment.Flush(flushToDisk: false);
    }

    private bool RemovePending(long seq)
    {
        if (!_pending.Remove(seq, out var entry))
        {
            return false;
        }

        _pendingBytes -= entry.Bytes;
        _ackedAhead.Add(seq);
        return true;
    }

    private void AfterRemoval()
    {
        _ackedThrough = _pending.Count == 0 ? _nextSeq - 1 : _pending.Keys.First() - 1;
        // Delivered out of order (power.lost jumps the queue): remembered individually above the cursor.
        while (_ackedAhead.Count > 0 && _ackedAhead.Min <= _ackedThrough)
        {
            _ackedAhead.Remove(_ackedAhead.Min);
        }

        _cursorDirty = true;
        ScheduleFlush();
    }

    private void EnforceBounds()
    {
        var cutoff = _time.GetUtcNow() - _limits.MaxAge;
        DropWhile("max age " + _limits.MaxAge.ToString("c", CultureInfo.InvariantCulture), e => e.Event.Ts < cutoff);
        DropWhile("max bytes " + _limits.MaxBytes.ToString(CultureInfo.InvariantCulture), _ => _pendingBytes > _limits.MaxBytes && _pending.Count > 1);
    }

    private void DropWhile(string bound, Func<SpoolEntry, bool> drop)
    {
        var count = 0;
        long first = 0, last = 0;
        while (_pending.Count > 0)
        {
            var oldest = _pending.Values.First();
            if (!drop(oldest))
            {
                break;
            }

            RemovePending(oldest.Seq);
            if (count++ == 0)
            {
                first = oldest.Seq;
            }

            last = oldest.Seq;
        }

        if (count > 0)
        {
            _dropped += count;
            TelemetryLog.SpoolDropped(_logger, bound, count, first, last, _dropped);
            AfterRemoval();
        }
    }

    private void WriteCursor()
    {
        var path = Path.Combine(_directory, CursorFile);
        var temp = path + ".tmp";
        var cursor = new SpoolCursor(_ackedThrough, [.. _ackedAhead]);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, cursor, SpoolJsonContext.Default.SpoolCursor);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private void DeleteDeliveredSegments()
    {
        for (var i = _closedSegments.Count - 1; i >= 0; i--)
        {
            if (_closedSegments[i].LastSeq <= _ackedThrough)
            {
                File.Delete(_closedSegments[i].Path);
                _closedSegments.RemoveAt(i);
            }
        }
    }

    private void Load()
    {
        var cursorPath = Path.Combine(_directory, CursorFile);
        var ackedAhead = new HashSet<long>();
        if (File.Exists(cursorPath))
        {
            try
            {
                var cursor = JsonSerializer.Deserialize(File.ReadAllBytes(cursorPath), SpoolJsonContext.Default.SpoolCursor);
                if (cursor is not null)
                {
                    _ackedThrough = cursor.AckedThrough;
                    ackedAhead = [.. cursor.AckedAhead ?? []];
                }
            }
            catch (JsonException ex)
            {
                TelemetryLog.CursorUnreadable(_logger, cursorPath, ex.Message);
            }
        }

        var maxSeq = Math.Max(_ackedThrough, ackedAhead.Count == 0 ? 0 : ackedAhead.Max());
        var segments = System.IO.Directory.GetFiles(_directory, "*" + SegmentExtension).Order(StringComparer.Ordinal).ToList();
        foreach (var path in segments)
        {
            var segmentLast = 0L;
            var count = 0;
            using var reader = new StreamReader(path);
            while (reader.ReadLine() is { } line)
            {
                AgentEvent? evt = null;
                try
                {
                    evt = JsonSerializer.Deserialize(line, ContractsJsonContext.Default.AgentEvent);
                }
                catch (JsonException)
                {
                }

                if (evt is null)
                {
                    TelemetryLog.SpoolTorn(_logger, path, count);
                    break;
                }

                count++;
                segmentLast = Math.Max(segmentLast, evt.Seq);
                maxSeq = Math.Max(maxSeq, evt.Seq);
                if (evt.Seq > _ackedThrough && !ackedAhead.Contains(evt.Seq) && !_pending.ContainsKey(evt.Seq))
                {
                    var entry = new SpoolEntry(evt, -1, System.Text.Encoding.UTF8.GetByteCount(line) + 1, evt.Type == EventTypes.PowerLost);
                    _pending.Add(evt.Seq, entry);
                    _pendingBytes += entry.Bytes;
                }
            }

            _closedSegments.Add((path, segmentLast));
        }

        _nextSeq = maxSeq + 1;
        _ackedAhead.UnionWith(ackedAhead);
        EnforceBounds();
        // Settle the cursor and drop segments an earlier run had fully delivered.
        AfterRemoval();
        FlushLocked();
    }
}
