using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace GatewayAgent.Sip.Messages;

/// <summary>
/// The ordered header fields of a message. Names compare case-insensitively after compact-form expansion.
/// A parsed message's values stay slices of the received bytes until they are read: the string of a value is made on
/// its first read and kept (the parser allocates no string per header).
/// </summary>
public sealed class SipHeaderCollection : IEnumerable<SipHeader>
{
    private readonly List<Entry> _headers = new(16);

    // The received message that raw entries slice (set by the parser); null for a message built in code.
    private byte[]? _source;

    /// <summary>Incremented on every change so typed views can cache what they parsed.</summary>
    internal int Version { get; private set; }

    public int Count => _headers.Count;

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
        foreach (var h in CollectionsMarshal.AsSpan(_headers))
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
        _headers.Add(new Entry(HeaderNames.Normalize(name), value, 0, 0));
        Version++;
    }

    /// <summary>Inserts before the first header of that name (or at the top), as a proxy adds a Via.</summary>
    public void AddFirst(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        name = HeaderNames.Normalize(name);
        var index = IndexOf(name);
        _headers.Insert(index < 0 ? 0 : index, new Entry(name, value, 0, 0));
        Version++;
    }

    /// <summary>Replaces every header of that name by one with this value, kept at the first one's place.</summary>
    public void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        name = HeaderNames.Normalize(name);
        var index = IndexOf(name);
        if (index < 0)
        {
            _headers.Add(new Entry(name, value, 0, 0));
        }
        else
        {
            _headers.RemoveAll(h => NameIs(h.Name, name));
            _headers.Insert(Math.Min(index, _headers.Count), new Entry(name, value, 0, 0));
        }

        Version++;
    }

    public int Remove(string name)
    {
        name = HeaderNames.Normalize(name);
        var removed = _headers.RemoveAll(h => NameIs(h.Name, name));
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

        _headers.RemoveAt(index);
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
        for (var i = 0; i < _headers.Count; i++)
        {
            yield return new SipHeader(_headers[i].Name, ValueAt(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The received message the parser's raw entries slice; set once, before the first <see cref="AddRaw"/>.</summary>
    internal void SetSource(byte[] source) => _source = source;

    /// <summary>Adds a value that is still a slice (valid UTF-8, trimmed) of the source: its string is made when read.</summary>
    internal void AddRaw(string canonicalName, int start, int length)
    {
        _headers.Add(new Entry(canonicalName, null, start, length));
        Version++;
    }

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
        value = entry.Value is { } text ? Encoding.UTF8.GetBytes(text) : _source.AsSpan(entry.Start, entry.Length);
        return true;
    }

    private int IndexOf(string canonicalName)
    {
        var span = CollectionsMarshal.AsSpan(_headers);
        for (var i = 0; i < span.Length; i++)
        {
            if (NameIs(span[i].Name, canonicalName))
            {
                return i;
            }
        }

        return -1;
    }

    internal bool HasNameAt(int index, string canonicalName) => NameIs(_headers[index].Name, canonicalName);

    internal string ValueAt(int index)
    {
        ref var entry = ref CollectionsMarshal.AsSpan(_headers)[index];
        return entry.Value ??= Encoding.UTF8.GetString(_source!, entry.Start, entry.Length);
    }

    // The parser stores the canonical constants, so the same reference is the common match.
    private static bool NameIs(string name, string canonicalName) =>
        ReferenceEquals(name, canonicalName) || string.Equals(name, canonicalName, StringComparison.OrdinalIgnoreCase);

    // Value is null while the entry is still a slice [Start, Start + Length) of the source.
    private record struct Entry(string Name, string? Value, int Start, int Length);
}
