using System.Globalization;
using System.Text;

namespace GatewayAgent.Sip.Messages;

/// <summary>
/// A SIP request or response: start line, ordered headers and body bytes. Typed views of the common headers are
/// parsed on demand and cached until the headers change.
/// </summary>
public abstract class SipMessage
{
    private int _cachedVersion = -1;
    private IReadOnlyList<ViaHeader>? _vias;
    private NameAddress? _from;
    private NameAddress? _to;
    // The cached CSeq as its two parts (a nullable struct would take a word more in every message); no method: none.
    private long _cseqNumber;
    private string? _cseqMethod;

    public const string SipVersion = "SIP/2.0";

    // A header value up to this many bytes is parsed from the stack (no string of it is made).
    private const int ValueOnStack = 512;

    public string Version { get; set; } = SipVersion;

    public SipHeaderCollection Headers { get; } = new();

    public ReadOnlyMemory<byte> Body { get; set; } = ReadOnlyMemory<byte>.Empty;

    public string? CallId
    {
        get => Headers[HeaderNames.CallId];
        set => Headers.Set(HeaderNames.CallId, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The Via values, top first. Values that do not parse are left out (the validator reports them).</summary>
    public IReadOnlyList<ViaHeader> Vias
    {
        get
        {
            EnsureCache();
            if (_vias is null)
            {
                var vias = new List<ViaHeader>(1);
                Span<char> scratch = stackalloc char[ValueOnStack];
                for (var i = Headers.IndexOf(HeaderNames.Via); i >= 0; i = Headers.IndexOf(HeaderNames.Via, i + 1))
                {
                    if (ViaHeader.TryParse(Headers.CharsAt(i, scratch), out var via, out _))
                    {
                        vias.Add(via);
                    }
                }

                _vias = vias;
            }

            return _vias;
        }
    }

    public ViaHeader? TopVia => Vias.Count > 0 ? Vias[0] : null;

    public NameAddress? From
    {
        get
        {
            EnsureCache();
            return _from ??= Parse(HeaderNames.From);
        }
    }

    public NameAddress? To
    {
        get
        {
            EnsureCache();
            return _to ??= Parse(HeaderNames.To);
        }
    }

    public CSeqHeader? CSeq
    {
        get
        {
            EnsureCache();
            var index = _cseqMethod is null ? Headers.IndexOf(HeaderNames.CSeq) : -1;
            if (index >= 0 && CSeqHeader.TryParse(Headers.CharsAt(index, stackalloc char[ValueOnStack]), out var c))
            {
                (_cseqNumber, _cseqMethod) = (c.Number, c.Method);
            }

            return _cseqMethod is null ? null : new CSeqHeader(_cseqNumber, _cseqMethod);
        }
    }

    public int? MaxForwards =>
        int.TryParse(Headers[HeaderNames.MaxForwards], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public string? ContentType => Headers[HeaderNames.ContentType];

    /// <summary>The option tags listed in every header of this name (Require, Supported, Proxy-Require...).</summary>
    public IEnumerable<string> GetOptionTags(string headerName)
    {
        foreach (var value in Headers.GetValues(headerName))
        {
            foreach (var tag in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                yield return tag;
            }
        }
    }

    /// <summary>Writes the start line, a line of each header, Content-Length (recomputed), the blank line and the body.</summary>
    public byte[] ToBytes()
    {
        var sb = new StringBuilder(512);
        AppendStartLine(sb);
        sb.Append("\r\n");
        foreach (var h in Headers)
        {
            if (!string.Equals(h.Name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                sb.Append(h.Name).Append(": ").Append(h.Value).Append("\r\n");
            }
        }

        sb.Append(HeaderNames.ContentLength).Append(": ").Append(Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var head = sb.ToString();
        var headerBytes = Encoding.UTF8.GetByteCount(head);
        var bytes = new byte[headerBytes + Body.Length];
        Encoding.UTF8.GetBytes(head, bytes);
        Body.Span.CopyTo(bytes.AsSpan(headerBytes));
        return bytes;
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes());

    protected abstract void AppendStartLine(StringBuilder sb);

    /// <summary>Keeps the typed headers the validator already parsed, so reading them does not parse them again.</summary>
    internal void CacheTypedHeaders(ViaHeader[] vias, NameAddress from, NameAddress to, CSeqHeader cseq)
    {
        _cachedVersion = Headers.Version;
        _vias = vias;
        _from = from;
        _to = to;
        (_cseqNumber, _cseqMethod) = (cseq.Number, cseq.Method);
    }

    /// <summary>
    /// Writes the cached top Via (<see cref="Vias"/>[0], changed in place by the caller) back as the first Via value, and
    /// keeps the typed views: they still say what the headers say, so nothing is parsed again (the transport stamps
    /// received/rport on every request, RFC 3261 §18.2.1).
    /// </summary>
    internal void RewriteTopVia()
    {
        var (vias, from, to, cseqNumber, cseqMethod) = (Vias, _from, _to, _cseqNumber, _cseqMethod);
        WriteTopVia(Headers, vias[0]);
        (_vias, _from, _to, _cseqNumber, _cseqMethod, _cachedVersion) = (vias, from, to, cseqNumber, cseqMethod, Headers.Version);
    }

    /// <summary>Replaces the first Via value: Set keeps a lone Via in its place; with several, the new top goes back in front of the (untouched) second.</summary>
    internal static void WriteTopVia(SipHeaderCollection headers, ViaHeader via)
    {
        if (headers.CountOf(HeaderNames.Via) == 1)
        {
            headers.Set(HeaderNames.Via, via.ToString());
        }
        else
        {
            headers.RemoveFirst(HeaderNames.Via);
            headers.AddFirst(HeaderNames.Via, via.ToString());
        }
    }

    private NameAddress? Parse(string name)
    {
        var index = Headers.IndexOf(name);
        return index >= 0 && NameAddress.TryParse(Headers.CharsAt(index, stackalloc char[ValueOnStack]), out var a, out _) ? a : null;
    }

    private void EnsureCache()
    {
        if (_cachedVersion != Headers.Version)
        {
            _vias = null;
            _from = null;
            _to = null;
            _cseqMethod = null;
            _cachedVersion = Headers.Version;
        }
    }
}
