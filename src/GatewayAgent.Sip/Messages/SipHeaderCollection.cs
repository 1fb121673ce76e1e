using System.Collections;

namespace GatewayAgent.Sip.Messages;

/// <summary>The ordered header fields of a message. Names compare case-insensitively after compact-form expansion.</summary>
public sealed class SipHeaderCollection : IEnumerable<SipHeader>
{
    private readonly List<SipHeader> _headers = new(16);

    /// <summary>Incremented on every change so typed views can cache what they parsed.</summary>
    internal int Version { get; private set; }

    public int Count => _headers.Count;

    /// <summary>The first value of the named header, or null.</summary>
    public string? this[string name]
    {
        get
        {
            name = HeaderNames.Normalize(name);
            foreach (var h in _headers)
            {
                if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return h.Value;
                }
            }

            return null;
        }
    }

    public IEnumerable<string> GetValues(string name)
    {
        name = HeaderNames.Normalize(name);
        foreach (var h in _headers)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return h.Value;
            }
        }
    }

    public int CountOf(string name)
    {
        name = HeaderNames.Normalize(name);
        var n = 0;
        foreach (var h in _headers)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                n++;
            }
        }

        return n;
    }

    public bool Contains(string name) => this[name] is not null;

    public void Add(string name, string value)
    {
        _headers.Add(new SipHeader(HeaderNames.Normalize(name), value));
        Version++;
    }

    /// <summary>Inserts before the first header of that name (or at the top), as a proxy adds a Via.</summary>
    public void AddFirst(string name, string value)
    {
        name = HeaderNames.Normalize(name);
        var index = _headers.FindIndex(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        _headers.Insert(index < 0 ? 0 : index, new SipHeader(name, value));
        Version++;
    }

    /// <summary>Replaces every header of that name by one with this value, kept at the first one's place.</summary>
    public void Set(string name, string value)
    {
        name = HeaderNames.Normalize(name);
        var index = _headers.FindIndex(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            _headers.Add(new SipHeader(name, value));
        }
        else
        {
            _headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
            _headers.Insert(Math.Min(index, _headers.Count), new SipHeader(name, value));
        }

        Version++;
    }

    public int Remove(string name)
    {
        name = HeaderNames.Normalize(name);
        var removed = _headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        Version++;
        return removed;
    }

    /// <summary>Removes the first header of that name; returns false when there was none.</summary>
    public bool RemoveFirst(string name)
    {
        name = HeaderNames.Normalize(name);
        var index = _headers.FindIndex(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
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
        foreach (var value in other.GetValues(name))
        {
            Add(name, value);
        }
    }

    public IEnumerator<SipHeader> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
