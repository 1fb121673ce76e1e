using System.Buffers;
using System.Collections;
using System.Text;

namespace GatewayAgent.Sip.Messages;

/// <summary>
/// The ordered header fields of a message. Names compare case-insensitively after compact-form expansion.
/// A parsed message's values stay slices of the received bytes until they are read: the string of a value is made on
/// its first read and kept (the parser allocates no string per header).
/// </summary>
public sealed class SipHeaderCollection : IEnumerable<SipHeader>
{
    // The entries in order; a parsed message sizes the array once for its lines, no List around it.
    private Entry[] _headers = [];

    // The values made into strings, beside the entries (null until the first one is made or added).
    private string?[]? _values;
    private int _count;

    // The received message that raw entries slice (set by the parser); null for a message built in code.
    private byte[]? _source;

    /// <summary>Incremented on every change so typed views can cache what they parsed.</summary>
    internal int Version { get; private set; }

    public int Count => _count;

    /// <summary>The first value of the named header, or null.</summary>
    public string? this[string name]
    {
        get
        {
            var index = IndexOf(HeaderNames.Normalize(name));
            return index < 0 ? null : ValueAt(index);
        }
    }

    public SipHeaderValues GetValues(string name) => new(this, HeaderNames.Normalize(name));

    public int CountOf(string name)
    {
        name = HeaderNames.Normalize(name);
        var n = 0;
        foreach (ref readonly var h in Entries)
        {
            if (NameIs(h.Name, name))
            {
                n++;
            }
        }

        return n;
    }

    public bool Contains(string name) => IndexOf(HeaderNames.Normalize(name)) >= 0;

    public void Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Insert(_count, new Entry(HeaderNames.Normalize(name), 0, 0), value);
    }

    /// <summary>Inserts before the first header of that name (or at the top), as a proxy adds a Via.</summary>
    public void AddFirst(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        name = HeaderNames.Normalize(name);
        var index = IndexOf(name);
        Insert(index < 0 ? 0 : index, new Entry(name, 0, 0), value);
    }

    /// <summary>Replaces every header of that name by one with this value, kept at the first one's place.</summary>
    public void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        name = HeaderNames.Normalize(name);
        var index = IndexOf(name);
        if (index < 0)
        {
            Insert(_count, new Entry(name, 0, 0), value);
            return;
        }

        _headers[index] = new Entry(name, 0, 0);
        Values[index] = value;
        RemoveWhere(name, index + 1);
        Version++;
    }

    public int Remove(string name)
    {
        var removed = RemoveWhere(HeaderNames.Normalize(name), 0);
        Version++;
        return removed;
    }

    /// <summary>Removes the first header of that name; returns false when there was none.</summary>
    public bool RemoveFirst(string name)
    {
        var index = IndexOf(HeaderNames.Normalize(name));
        if (index < 0)
        {
            return false;
        }

        Array.Copy(_headers, index + 1, _headers, index, _count - index - 1);
        if (_values is not null)
        {
            Array.Copy(_values, index + 1, _values, index, _count - index - 1);
            _values[_count - 1] = null;
        }

        _headers[--_count] = default;
        Version++;
        return true;
    }

    /// <summary>Copies every header of the named kinds from another message, in order (for responses).</summary>
    public void CopyFrom(SipHeaderCollection other, string name)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var value in other.GetValues(name))
        {
            Add(name, value);
        }
    }

    public IEnumerator<SipHeader> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return new SipHeader(_headers[i].Name, ValueAt(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ReadOnlySpan<Entry> Entries => _headers.AsSpan(0, _count);

    /// <summary>
    /// The received message the parser's raw entries slice, and how many entries it may hold (room is made for them
    /// at once); set once, before the first <see cref="AddRaw"/>.
    /// </summary>
    internal void SetSource(byte[] source, int capacity)
    {
        _source = source;
        if (_headers.Length < capacity)
        {
            Array.Resize(ref _headers, capacity);
            if (_values is not null)
            {
                Array.Resize(ref _values, capacity);
            }
        }
    }

    /// <summary>Adds a value that is still a slice (valid UTF-8, trimmed) of the source: its string is made when read.</summary>
    internal void AddRaw(string canonicalName, int start, int length) => Insert(_count, new Entry(canonicalName, start, length), null);

    /// <summary>The first value of a header whose canonical name the caller holds, as the bytes received (no string).</summary>
    internal bool TryGetFirstUtf8(string canonicalName, out ReadOnlySpan<byte> value)
    {
        var index = IndexOf(canonicalName);
        if (index < 0)
        {
            value = default;
            return false;
        }

        var entry = _headers[index];
        value = _values?[index] is { } text ? Encoding.UTF8.GetBytes(text) : _source.AsSpan(entry.Start, entry.Length);
        return true;
    }

    /// <summary>The index of the first header of a canonical name at or after <paramref name="start"/>, or -1.</summary>
    internal int IndexOf(string canonicalName, int start = 0)
    {
        var span = Entries;
        for (var i = start; i < span.Length; i++)
        {
            if (NameIs(span[i].Name, canonicalName))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The first of these canonical names (at most 32, each a <see cref="HeaderNames"/> constant) that more than one
    /// header carries, or null — in one pass. A name the stack knows is always stored as its constant (every Add
    /// normalizes it), and no other name equals one, so a reference compare finds them.
    /// </summary>
    internal string? FirstRepeated(ReadOnlySpan<string> canonicalNames)
    {
        var seen = 0u;
        var repeated = 0u;
        foreach (ref readonly var entry in Entries)
        {
            for (var n = 0; n < canonicalNames.Length; n++)
            {
                if (ReferenceEquals(entry.Name, canonicalNames[n]))
                {
                    repeated |= seen & (1u << n);
                    seen |= 1u << n;
                    break;
                }
            }
        }

        for (var n = 0; n < canonicalNames.Length; n++)
        {
            if ((repeated & (1u << n)) != 0)
            {
                return canonicalNames[n];
            }
        }

        return null;
    }

    internal bool HasNameAt(int index, string canonicalName) => NameIs(_headers[index].Name, canonicalName);

    internal string ValueAt(int index)
    {
        ref var value = ref Values[index];
        if (value is null)
        {
            var entry = _headers[index];
            value = Encoding.UTF8.GetString(_source!, entry.Start, entry.Length);
        }

        return value;
    }

    /// <summary>
    /// The value at <paramref name="index"/> as characters, without making its string when it is a raw ASCII slice that
    /// fits <paramref name="scratch"/> (the typed parsers read it from there); otherwise the value's string.
    /// </summary>
    internal ReadOnlySpan<char> CharsAt(int index, Span<char> scratch)
    {
        if (_values?[index] is { } text)
        {
            return text;
        }

        ref readonly var entry = ref _headers[index];
        var bytes = _source.AsSpan(entry.Start, entry.Length);
        return bytes.Length <= scratch.Length && Ascii.ToUtf16(bytes, scratch, out var written) == OperationStatus.Done
            ? scratch[..written]
            : ValueAt(index);
    }

    private string?[] Values => _values ??= new string?[_headers.Length];

    private void Insert(int index, Entry entry, string? value)
    {
        if (_count == _headers.Length)
        {
            Array.Resize(ref _headers, _count == 0 ? 8 : _count * 2);
            if (_values is not null)
            {
                Array.Resize(ref _values, _headers.Length);
            }
        }

        if (index < _count)
        {
            Array.Copy(_headers, index, _headers, index + 1, _count - index);
            if (_values is not null)
            {
                Array.Copy(_values, index, _values, index + 1, _count - index);
            }
        }

        _headers[index] = entry;
        if (value is not null || _values is not null)
        {
            Values[index] = value;
        }

        _count++;
        Version++;
    }

    // Removes the headers of a canonical name at or after start, keeping the order of the others; returns how many.
    private int RemoveWhere(string canonicalName, int start)
    {
        var kept = start;
        for (var i = start; i < _count; i++)
        {
            if (!NameIs(_headers[i].Name, canonicalName))
            {
                if (_values is not null)
                {
                    _values[kept] = _values[i];
                }

                _headers[kept++] = _headers[i];
            }
        }

        var removed = _count - kept;
        Array.Clear(_headers, kept, removed);
        if (_values is not null)
        {
            Array.Clear(_values, kept, removed);
        }
        _count = kept;
        return removed;
    }

    // The parser stores the canonical constants, so the same reference is the common match.
    private static bool NameIs(string name, string canonicalName) =>
        ReferenceEquals(name, canonicalName) || string.Equals(name, canonicalName, StringComparison.OrdinalIgnoreCase);

    // A value that is still a slice [Start, Start + Length) of the source has no string in _values yet.
    private readonly record struct Entry(string Name, int Start, int Length);
}
