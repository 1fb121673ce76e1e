using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// A final response that is a pure function of its request: the status line, the headers RFC 3261 §8.2.6 copies from
/// the request (Via, From, To with our tag, Call-ID, CSeq; <see cref="SipRequest.CreateResponse"/>), then a fixed tail
/// of our own headers (Allow, Supported, Server...) and no body. A completed transaction whose response has this form
/// keeps the form (shared by every transaction answered alike) and its To tag instead of the response's bytes, and
/// rebuilds the bytes from a retransmitted request (issue 13): a BYE's or an OPTIONS' 200 is ~400 bytes a record less.
/// Equal forms are equal by value, so a table can share one instance among all their records.
/// </summary>
internal sealed class ResponseForm : IEquatable<ResponseForm>
{
    private readonly SipHeader[] _tail;
    private readonly int _hash;

    private ResponseForm(int statusCode, string reasonPhrase, SipHeader[] tail)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        _tail = tail;
        var hash = new HashCode();
        hash.Add(statusCode);
        hash.Add(reasonPhrase, StringComparer.Ordinal);
        foreach (var header in tail)
        {
            hash.Add(header.Name, StringComparer.Ordinal);
            hash.Add(header.Value, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    /// <summary>
    /// The form of <paramref name="response"/>, sent as <paramref name="sent"/> to <paramref name="request"/> by a
    /// transaction whose To tag is <paramref name="toTag"/>; null when the response is not a pure function of the
    /// request (a body, a header between the copied ones, a copied header changed), or when the bytes rebuilt from the
    /// request would differ in any way from <paramref name="sent"/>: then the caller keeps the bytes.
    /// </summary>
    public static ResponseForm? TryCreate(SipRequest request, SipResponse response, string? toTag, ReadOnlySpan<byte> sent)
    {
        if (!response.Body.IsEmpty || !string.Equals(response.Version, SipMessage.SipVersion, StringComparison.Ordinal))
        {
            return null;
        }

        var rebuilt = request.CreateResponse(response.StatusCode, response.ReasonPhrase, toTag);
        var copied = rebuilt.Headers;
        if (response.Headers.Count < copied.Count)
        {
            return null;
        }

        var tail = new List<SipHeader>(response.Headers.Count - copied.Count);
        using (var expected = copied.GetEnumerator())
        {
            foreach (var header in response.Headers)
            {
                if (expected.MoveNext())
                {
                    if (!string.Equals(header.Name, expected.Current.Name, StringComparison.Ordinal) ||
                        !string.Equals(header.Value, expected.Current.Value, StringComparison.Ordinal))
                    {
                        return null;
                    }
                }
                else if (!string.Equals(header.Name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
                {
                    tail.Add(header); // Content-Length is written from the body (none) by ToBytes
                }
            }
        }

        // The copied headers built for the comparison are the rebuilt response's own: one build, then the tail.
        foreach (var header in tail)
        {
            copied.Add(header.Name, header.Value);
        }

        return rebuilt.ToBytes().AsSpan().SequenceEqual(sent) ? new ResponseForm(response.StatusCode, response.ReasonPhrase, [.. tail]) : null;
    }

    /// <summary>The response of this form to <paramref name="request"/>: for the request it was made from, the very bytes sent then.</summary>
    public byte[] Build(SipRequest request, string? toTag)
    {
        var response = request.CreateResponse(StatusCode, ReasonPhrase, toTag);
        foreach (var header in _tail)
        {
            response.Headers.Add(header.Name, header.Value);
        }

        return response.ToBytes();
    }

    public bool Equals(ResponseForm? other) =>
        other is not null && other._hash == _hash && other.StatusCode == StatusCode &&
        string.Equals(other.ReasonPhrase, ReasonPhrase, StringComparison.Ordinal) && other._tail.AsSpan().SequenceEqual(_tail);

    public override bool Equals(object? obj) => Equals(obj as ResponseForm);

    public override int GetHashCode() => _hash;
}
