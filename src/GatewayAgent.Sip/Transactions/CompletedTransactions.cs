using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// The server transactions that sent their final response, for the rest of their lifetime (RFC 3261 §17.2.2
/// Completed until Timer J; RFC 6026 §7.1 Accepted until Timer L), and the merge index of RFC 3261 §8.2.2.2, kept
/// (a second table holds the INVITE client transactions in RFC 6026's Accepted state: the TU's 2xx handler as their
/// <c>tag</c>, and a skeleton of the INVITE in place of the response),
/// without a heap object per record: a record is a struct in a ring of 512-record blocks (they all live 64·T1, so the
/// ring is in expiry order), found by its 128-bit key in one of 256 dictionaries of structs, and a response to resend
/// is bytes in 64 KB segments. Blocks and segments are reused as records expire, and every array stays under the
/// large-object threshold (85 KB): arrays above it are only reclaimed by full collections, so a growing ring or
/// dictionary left its old copies in the resident set. At 1,000 calls/s an agent holds ~64,000 records (INVITE + BYE for 32 s): as objects they
/// were ~600 B each and lived long enough to reach the GC's oldest generation, whose slack doubled them in the resident
/// set (bench/RESULTS.md §8b); here they cost 160 B each (224 B with a merge key), and the GC never sees them. A
/// response that is a pure function of its request (a BYE's or an OPTIONS' 200) is not kept at all: the record holds
/// its shared <see cref="ResponseForm"/> and our To tag, and the layer rebuilds it from the retransmission.
/// Thread-safe; every operation is short and under one lock.
/// </summary>
internal sealed class CompletedTransactions
{
    /// <summary>Bytes per record besides its response: the ring slot and the dictionary entry (with some slack for growth).</summary>
    internal const int RecordOverhead = 160;

    /// <summary>The longest To tag a rebuilt record keeps (ours are 10 characters, <see cref="SipIdentifiers.NewTag"/>).</summary>
    internal const int MaxTagBytes = 128;

    /// <summary>Bytes a record's merge key adds: its entry in the merge index (measured: 161 B a record without, 225 B with).</summary>
    internal const int MergeKeyOverhead = 64;

    private const int SegmentSize = 64 * 1024;
    private const int MaxSpareSegments = 8;
    private const int BlockShift = 9;                       // 512 records a block, ~40 KB
    private const int BlockSize = 1 << BlockShift;
    private const int MaxSpareBlocks = 4;
    private const int Shards = 256;                         // at the 32 MiB default bound ~600-800 keys a shard, under 40 KB

    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128, long>[] _bySequence = NewShards<long>();    // key → sequence number of its record
    private readonly Dictionary<UInt128, UInt128>[] _merges = NewShards<UInt128>();   // merge key → the key of the transaction that holds it
    private readonly Dictionary<long, byte[]> _large = [];         // responses too large for a segment, by sequence number
    private readonly List<byte[]> _segments = [];                  // _segments[i] holds bytes [(_firstSegment + i)·SegmentSize, +SegmentSize)
    private readonly Stack<byte[]> _spare = new();
    private readonly List<Record[]> _blocks = [];                  // _blocks[i] holds records (_firstBlock + i)·BlockSize...
    private readonly Stack<Record[]> _spareBlocks = new();
    private long _firstBlock;
    private long _head;          // sequence number of the oldest record
    private long _tail;          // sequence number the next record gets
    private long _firstSegment;
    private long _writeAt;       // absolute byte position of the next response
    private long _bytes;
    private long _strangerBytes;

    /// <summary>Records held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return (int)(_tail - _head);
            }
        }
    }

    /// <summary>Bytes held by the records (<see cref="SipTransactionOptions.MaxCompletedBytes"/>).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The part of <see cref="Bytes"/> held by records added for strangers (<see cref="SipTransactionOptions.StrangerCompletedShare"/>).</summary>
    public long StrangerBytes => Interlocked.Read(ref _strangerBytes);

    /// <summary>Bytes of response segments allocated (in use or spare): what the records' responses cost in memory.</summary>
    public long SegmentBytes
    {
        get
        {
            lock (_gate)
            {
                return (long)(_segments.Count + _spare.Count) * SegmentSize;
            }
        }
    }

    /// <summary>
    /// Adds a record; false if one with this key exists. <paramref name="response"/> is what to resend on a
    /// retransmission (copied to the segments), or null to absorb retransmissions.
    /// </summary>
    public bool TryAdd(UInt128 key, UInt128? mergeKey, SipTarget peer, byte[]? response, long expiresAt, object? tag = null, bool stranger = false)
    {
        lock (_gate)
        {
            if (!TryAddRecord(key, mergeKey, peer, expiresAt, response?.Length ?? -1, tag, rebuilt: false, stranger))
            {
                return false;
            }

            ref var record = ref At(_tail);
            if (response is not null)
            {
                if (response.Length > SegmentSize / 4)
                {
                    _large[_tail] = response; // the caller's: a transaction's final response is not changed after it is sent
                }
                else
                {
                    record.ResponseAt = Append(response);
                }
            }

            _tail++;
            Account(Overhead(mergeKey.HasValue) + Math.Max(response?.Length ?? -1, 0), stranger);
            return true;
        }
    }

    /// <summary>
    /// Adds a record whose response is rebuilt from each retransmission (<see cref="ResponseForm"/>): it keeps the
    /// shared <paramref name="form"/> and the transaction's <paramref name="toTag"/> (null: the request had one), not
    /// the response's bytes. False if one with this key exists, or if the tag is longer than <see cref="MaxTagBytes"/>
    /// (the caller checks that first).
    /// </summary>
    public bool TryAddRebuilt(UInt128 key, UInt128? mergeKey, SipTarget peer, ResponseForm form, string? toTag, long expiresAt, bool stranger = false)
    {
        Span<byte> tag = stackalloc byte[MaxTagBytes];
        var length = 0;
        if (toTag is not null && !System.Text.Encoding.UTF8.TryGetBytes(toTag, tag, out length))
        {
            return false; // a tag this long is not ours
        }

        lock (_gate)
        {
            if (!TryAddRecord(key, mergeKey, peer, expiresAt, toTag is null ? -1 : length, form, rebuilt: true, stranger))
            {
                return false;
            }

            if (toTag is not null)
            {
                At(_tail).ResponseAt = Append(tag[..length]);
            }

            _tail++;
            Account(Overhead(mergeKey.HasValue) + length, stranger);
            return true;
        }
    }

    /// <summary>Finds a record: whether it exists, and (copied) the response to resend and where (null: absorb).</summary>
    public bool TryGet(UInt128 key, out byte[]? response, out SipTarget peer) => TryGet(key, out response, out peer, out _);

    /// <summary>
    /// Finds a record added with bytes (the accepted client transactions): as
    /// <see cref="TryGet(UInt128, out byte[], out SipTarget)"/>, and the tag it was added with.
    /// </summary>
    public bool TryGet(UInt128 key, out byte[]? response, out SipTarget peer, out object? tag)
    {
        var found = TryGet(key, out CompletedResponse completed, out tag);
        response = completed.Bytes;
        peer = completed.Peer;
        return found;
    }

    /// <summary>Finds a record: whether it exists, and what to answer a retransmission with.</summary>
    public bool TryGet(UInt128 key, out CompletedResponse response) => TryGet(key, out response, out _);

    private bool TryGet(UInt128 key, out CompletedResponse response, out object? tag)
    {
        lock (_gate)
        {
            if (!Shard(_bySequence, key).TryGetValue(key, out var sequence))
            {
                response = default;
                tag = null;
                return false;
            }

            ref var record = ref At(sequence);
            var peer = record.Peer.ToTarget();
            if (record.Rebuilt)
            {
                // The tag holds the response's form; the segment, the To tag.
                var toTag = record.ResponseLength < 0 ? null
                    : System.Text.Encoding.UTF8.GetString(Segment(record.ResponseAt, record.ResponseLength));
                response = new CompletedResponse(null, (ResponseForm)record.Tag!, toTag, peer);
                tag = null;
                return true;
            }

            tag = record.Tag;
            var bytes = record.ResponseLength < 0 ? null
                : _large.TryGetValue(sequence, out var large) ? large
                : Segment(record.ResponseAt, record.ResponseLength).ToArray();
            response = new CompletedResponse(bytes, null, null, peer);
            return true;
        }
    }

    public bool Contains(UInt128 key)
    {
        lock (_gate)
        {
            return Shard(_bySequence, key).ContainsKey(key);
        }
    }

    /// <summary>The transaction that holds <paramref name="mergeKey"/>: an existing one, or <paramref name="key"/>, now registered.</summary>
    public UInt128 GetOrAddMerge(UInt128 mergeKey, UInt128 key)
    {
        lock (_gate)
        {
            ref var holder = ref CollectionsMarshal.GetValueRefOrAddDefault(Shard(_merges, mergeKey), mergeKey, out var exists);
            if (!exists)
            {
                holder = key;
            }

            return holder;
        }
    }

    /// <summary>Gives <paramref name="mergeKey"/> to <paramref name="key"/> (the holder it had is gone).</summary>
    public void SetMerge(UInt128 mergeKey, UInt128 key)
    {
        lock (_gate)
        {
            Shard(_merges, mergeKey)[mergeKey] = key;
        }
    }

    /// <summary>Removes <paramref name="mergeKey"/> if <paramref name="key"/> still holds it.</summary>
    public void RemoveMerge(UInt128 mergeKey, UInt128 key)
    {
        lock (_gate)
        {
            RemoveMergeLocked(mergeKey, key);
        }
    }

    /// <summary>Merge keys registered (live transactions and records).</summary>
    public int MergeCount
    {
        get
        {
            lock (_gate)
            {
                return _merges.Sum(shard => shard.Count);
            }
        }
    }

    /// <summary>Removes the records that expired by <paramref name="now"/>; true if none is left.</summary>
    public bool Sweep(long now)
    {
        lock (_gate)
        {
            var deadUpTo = -1L;
            while (_head < _tail)
            {
                ref var record = ref At(_head);
                if (record.ExpiresAt > now)
                {
                    break;
                }

                Shard(_bySequence, record.Key).Remove(record.Key);
                if (record.HasMergeKey)
                {
                    RemoveMergeLocked(record.MergeKey, record.Key);
                }

                if (record.ResponseLength >= 0 && (record.Rebuilt || !_large.Remove(_head)))
                {
                    deadUpTo = record.ResponseAt + record.ResponseLength;
                }

                Account(-(Overhead(record.HasMergeKey) + Math.Max(record.ResponseLength, 0)), record.Stranger);
                record = default;
                _head++;
                if ((_head & (BlockSize - 1)) == 0)
                {
                    // the first block is spent: every record in it has expired
                    if (_spareBlocks.Count < MaxSpareBlocks)
                    {
                        _spareBlocks.Push(_blocks[0]);
                    }

                    _blocks.RemoveAt(0);
                    _firstBlock++;
                }
            }

            ReleaseSegments(_head == _tail ? _writeAt : deadUpTo);
            return _head == _tail;
        }
    }

    /// <summary>Indexes a record at <see cref="_tail"/> (the caller then fills its response and advances the tail); false if the key exists.</summary>
    private bool TryAddRecord(UInt128 key, UInt128? mergeKey, SipTarget peer, long expiresAt, int responseLength, object? tag, bool rebuilt, bool stranger)
    {
        if (!Shard(_bySequence, key).TryAdd(key, _tail))
        {
            return false;
        }

        if ((_tail >> BlockShift) - _firstBlock == _blocks.Count)
        {
            _blocks.Add(_spareBlocks.Count > 0 ? _spareBlocks.Pop() : new Record[BlockSize]);
        }

        At(_tail) = new Record
        {
            Key = key,
            MergeKey = mergeKey ?? default,
            HasMergeKey = mergeKey.HasValue,
            ExpiresAt = expiresAt,
            Peer = peer.EndPoint is null ? default : PeerAddress.From(peer),
            ResponseLength = responseLength,
            Rebuilt = rebuilt,
            Stranger = stranger,
            Tag = tag,
        };
        return true;
    }

    private void RemoveMergeLocked(UInt128 mergeKey, UInt128 key)
    {
        var shard = Shard(_merges, mergeKey);
        if (shard.TryGetValue(mergeKey, out var holder) && holder == key)
        {
            shard.Remove(mergeKey);
        }
    }

    private void Account(long bytes, bool stranger)
    {
        Interlocked.Add(ref _bytes, bytes);
        if (stranger)
        {
            Interlocked.Add(ref _strangerBytes, bytes);
        }
    }

    private static int Overhead(bool hasMergeKey) => hasMergeKey ? RecordOverhead + MergeKeyOverhead : RecordOverhead;

    private static Dictionary<UInt128, T>[] NewShards<T>()
    {
        var shards = new Dictionary<UInt128, T>[Shards];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = [];
        }

        return shards;
    }

    private static Dictionary<UInt128, T> Shard<T>(Dictionary<UInt128, T>[] shards, UInt128 key) => shards[(int)(ulong)(key >> 120)];

    private ref Record At(long sequence) => ref _blocks[(int)((sequence >> BlockShift) - _firstBlock)][sequence & (BlockSize - 1)];

    /// <summary>Copies a response to the segments (never across two); returns its absolute position.</summary>
    private long Append(ReadOnlySpan<byte> response)
    {
        if ((_writeAt % SegmentSize) + response.Length > SegmentSize)
        {
            _writeAt += SegmentSize - (_writeAt % SegmentSize);
        }

        var index = (int)((_writeAt / SegmentSize) - _firstSegment);
        if (index == _segments.Count)
        {
            _segments.Add(_spare.Count > 0 ? _spare.Pop() : new byte[SegmentSize]);
        }

        var at = _writeAt;
        response.CopyTo(_segments[index].AsSpan((int)(at % SegmentSize)));
        _writeAt += response.Length;
        return at;
    }

    private ReadOnlySpan<byte> Segment(long at, int length) =>
        _segments[(int)((at / SegmentSize) - _firstSegment)].AsSpan((int)(at % SegmentSize), length);

    /// <summary>Frees the segments wholly before <paramref name="deadUpTo"/> (every response before it has expired).</summary>
    private void ReleaseSegments(long deadUpTo)
    {
        while (_segments.Count > 0 && (_firstSegment + 1) * SegmentSize <= deadUpTo)
        {
            if (_spare.Count < MaxSpareSegments)
            {
                _spare.Push(_segments[0]);
            }

            _segments.RemoveAt(0);
            _firstSegment++;
        }

        if (_head == _tail && _segments.Count == 0 && _writeAt % SegmentSize != 0)
        {
            // nothing is held: start the next response on a fresh segment boundary
            _writeAt += SegmentSize - (_writeAt % SegmentSize);
        }
    }

    [StructLayout(LayoutKind.Sequential, Pack = 8)]
    private struct Record
    {
        public UInt128 Key;
        public UInt128 MergeKey;
        public long ExpiresAt;
        public long ResponseAt;
        public int ResponseLength;   // -1: no response (absorb retransmissions); rebuilt: of the To tag, -1 for none
        public PeerAddress Peer;
        public bool HasMergeKey;
        public bool Stranger;        // added for a source other than the known probers: counted in StrangerBytes too
        public bool Rebuilt;         // the response is rebuilt from the retransmission: Tag is its ResponseForm, the segments hold its To tag
        public object? Tag;
    }

    /// <summary>A <see cref="SipTarget"/> as a value: the address's bytes instead of an <see cref="IPEndPoint"/> object.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct PeerAddress
    {
        public UInt128 Address;
        public uint ScopeId;
        public ushort Port;
        public SipTransportKind Transport;
        public bool IsV6;

        public static PeerAddress From(SipTarget target)
        {
            Span<byte> bytes = stackalloc byte[16];
            bytes.Clear();
            var address = target.EndPoint.Address;
            address.TryWriteBytes(bytes, out _);
            var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
            return new PeerAddress
            {
                Address = MemoryMarshal.Read<UInt128>(bytes),
                ScopeId = isV6 ? (uint)address.ScopeId : 0,
                Port = (ushort)target.EndPoint.Port,
                Transport = target.Transport,
                IsV6 = isV6,
            };
        }

        public readonly SipTarget ToTarget()
        {
            Span<byte> bytes = stackalloc byte[16];
            MemoryMarshal.Write(bytes, in Address);
            var address = IsV6 ? new IPAddress(bytes, ScopeId) : new IPAddress(bytes[..4]);
            return new SipTarget(Transport, new IPEndPoint(address, Port));
        }
    }
}
