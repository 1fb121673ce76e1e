using System.Collections;
using System.Text;

namespace GatewayAgent.Sip.Messages;

/// <summary>An ordered list of ;name=value parameters (URI or header parameters). Names compare case-insensitively.</summary>
public sealed class SipParameters : IEnumerable<KeyValuePair<string, string?>>
{
    // Most values carry one or two parameters (tag; branch and rport): an array of about the count needed, no List
    // around it and no count beside it — the parameters fill it from the front, and the first null name ends them.
    private KeyValuePair<string, string?>[] _items = [];

    // The parameter names the stack reads, so that parsing them makes no string (RFC 3261 §19.1.1, §20.42, RFC 3581).
    private static readonly string[] KnownNames =
        ["branch", "rport", "received", "tag", "transport", "lr", "maddr", "ttl", "user", "method", "expires", "q"];

    public int Count => CountOf(_items);

    /// <summary>The name as a string: the same instance for a name the stack knows (compared exactly, as sent).</summary>
    public static string NameOf(ReadOnlySpan<char> name)
    {
        foreach (var known in KnownNames)
        {
            if (name.SequenceEqual(known))
            {
                return known;
            }
        }

        return name.ToString();
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The value of the named parameter (null when absent or valueless).</summary>
    public string? this[string name]
    {
        get
        {
            var index = IndexOf(name);
            return index < 0 ? null : _items[index].Value;
        }
    }

    public void Add(string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var count = CountOf(_items);
        if (count == _items.Length)
        {
            Array.Resize(ref _items, count == 0 ? 2 : count * 2);
        }

        _items[count] = new(name, value);
    }

    /// <summary>Sets (or adds) a parameter, keeping its place when it exists.</summary>
    public void Set(string name, string? value)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            Add(name, value);
        }
        else
        {
            _items[index] = new(name, value);
        }
    }

    public bool Remove(string name)
    {
        var count = CountOf(_items);
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (!string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                _items[kept++] = _items[i];
            }
        }

        Array.Clear(_items, kept, count - kept);
        return kept < count;
    }

    public SipParameters Clone()
    {
        var copy = new SipParameters();
        copy._items = _items[..CountOf(_items)];
        return copy;
    }

    private static int CountOf(KeyValuePair<string, string?>[] items)
    {
        var count = 0;
        while (count < items.Length && items[count].Key is not null)
        {
            count++;
        }

        return count;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _items.Length && _items[i].Key is not null; i++)
        {
            // The parser stores the known names as the same instances, so the reference check is the common match.
            if (ReferenceEquals(_items[i].Key, name) || string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Writes ";name=value" for each parameter.</summary>
    public void AppendTo(StringBuilder sb, char separator = ';')
    {
        foreach (var p in _items.AsSpan(0, CountOf(_items)))
        {
            sb.Append(separator).Append(p.Key);
            if (p.Value is not null)
            {
                sb.Append('=').Append(p.Value);
            }
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendTo(sb);
        return sb.ToString();
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var i = 0; i < _items.Length && _items[i].Key is not null; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
