using System.Collections;
using System.Text;

namespace GatewayAgent.Sip.Messages;

/// <summary>An ordered list of ;name=value parameters (URI or header parameters). Names compare case-insensitively.</summary>
public sealed class SipParameters : IEnumerable<KeyValuePair<string, string?>>
{
    private readonly List<KeyValuePair<string, string?>> _items = [];

    // The parameter names the stack reads, so that parsing them makes no string (RFC 3261 §19.1.1, §20.42, RFC 3581).
    private static readonly string[] KnownNames =
        ["branch", "rport", "received", "tag", "transport", "lr", "maddr", "ttl", "user", "method", "expires", "q"];

    public int Count => _items.Count;

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

    public bool Contains(string name) => _items.Exists(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value of the named parameter (null when absent or valueless).</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var p in _items)
            {
                if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return p.Value;
                }
            }

            return null;
        }
    }

    public void Add(string name, string? value) => _items.Add(new(name, value));

    /// <summary>Sets (or adds) a parameter, keeping its place when it exists.</summary>
    public void Set(string name, string? value)
    {
        var index = _items.FindIndex(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            _items.Add(new(name, value));
        }
        else
        {
            _items[index] = new(name, value);
        }
    }

    public bool Remove(string name) =>
        _items.RemoveAll(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    public SipParameters Clone()
    {
        var copy = new SipParameters();
        copy._items.AddRange(_items);
        return copy;
    }

    /// <summary>Writes ";name=value" for each parameter.</summary>
    public void AppendTo(StringBuilder sb, char separator = ';')
    {
        foreach (var p in _items)
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

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
