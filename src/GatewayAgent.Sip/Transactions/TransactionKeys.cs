using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// The keys under which the layer finds server transactions and merged requests, as 128-bit digests of their text
/// (RFC 3261 §17.2.3: branch, sent-by and method; §8.2.2.2: From tag, Call-ID and CSeq), built without a string per
/// message. A cryptographic digest, so a stranger cannot make two requests collide; truncated to 128 bits, it costs a
/// fraction of a microsecond for these few dozen bytes.
/// </summary>
internal static class TransactionKeys
{
    /// <summary>RFC 3261 §17.2.3 for a branch with the magic cookie: branch, sent-by (host and port) and method.</summary>
    public static UInt128 Server(ViaHeader via, string method)
    {
        var key = new KeyText(stackalloc char[256]);
        key.Append(via.Branch);
        key.Append('|');
        key.Append(via.Host);
        if (via.Port is { } port)
        {
            key.Append(':');
            key.Append(port);
        }

        key.Append('|');
        key.Append(method);
        return key.Digest();
    }

    /// <summary>RFC 3261 §8.2.2.2: From tag, Call-ID and CSeq (number and method).</summary>
    public static UInt128 Merge(string? fromTag, string? callId, CSeqHeader? cseq)
    {
        var key = new KeyText(stackalloc char[256]);
        key.Append(fromTag);
        key.Append('|');
        key.Append(callId);
        key.Append('|');
        if (cseq is { } c)
        {
            key.Append(c.Number);
            key.Append(' ');
            key.Append(c.Method);
        }

        return key.Digest();
    }

    /// <summary>The digest of a key already made as text (the RFC 2543 fallback).</summary>
    public static UInt128 Of(string text) => Digest(text);

    private static UInt128 Digest(ReadOnlySpan<char> text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(text), digest);
        return MemoryMarshal.Read<UInt128>(digest);
    }

    /// <summary>Key text on the stack, moving to a pooled array only for an unusually long key.</summary>
    private ref struct KeyText(Span<char> buffer)
    {
        private Span<char> _buffer = buffer;
        private char[]? _rented;
        private int _length;

        public void Append(ReadOnlySpan<char> text)
        {
            Reserve(text.Length);
            text.CopyTo(_buffer[_length..]);
            _length += text.Length;
        }

        public void Append(char c)
        {
            Reserve(1);
            _buffer[_length++] = c;
        }

        public void Append(long number)
        {
            Reserve(20);
            number.TryFormat(_buffer[_length..], out var written, default, CultureInfo.InvariantCulture);
            _length += written;
        }

        public UInt128 Digest()
        {
            var digest = TransactionKeys.Digest(_buffer[.._length]);
            if (_rented is { } rented)
            {
                ArrayPool<char>.Shared.Return(rented);
            }

            return digest;
        }

        private void Reserve(int more)
        {
            if (_length + more <= _buffer.Length)
            {
                return;
            }

            var larger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            _buffer[.._length].CopyTo(larger);
            if (_rented is { } old)
            {
                ArrayPool<char>.Shared.Return(old);
            }

            _rented = larger;
            _buffer = larger;
        }
    }
}
