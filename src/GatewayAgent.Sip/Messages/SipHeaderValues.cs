using System.Collections;

namespace GatewayAgent.Sip.Messages;

/// <summary>
/// The values of one header name, in order (<see cref="SipHeaderCollection.GetValues"/>): a <c>foreach</c> over it
/// allocates nothing; it is an <see cref="IEnumerable{T}"/> for LINQ.
/// </summary>
public readonly struct SipHeaderValues : IEnumerable<string>
{
    private readonly SipHeaderCollection _headers;
    private readonly string _name;

    internal SipHeaderValues(SipHeaderCollection headers, string canonicalName)
    {
        _headers = headers;
        _name = canonicalName;
    }

    public Enumerator GetEnumerator() => new(_headers, _name);

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the collection for the values of the name.</summary>
    public struct Enumerator : IEnumerator<string>
    {
        private readonly SipHeaderCollection _headers;
        private readonly string _name;
        private int _index;

        internal Enumerator(SipHeaderCollection headers, string name)
        {
            _headers = headers;
            _name = name;
            _index = -1;
        }

        public readonly string Current => _headers.ValueAt(_index);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            while (++_index < _headers.Count)
            {
                if (_headers.HasNameAt(_index, _name))
                {
                    return true;
                }
            }

            return false;
        }

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
