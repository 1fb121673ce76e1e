using System.Security.Cryptography;
using System.Text;

namespace GatewayAgent.Sip.Auth;

/// <summary>The Digest response arithmetic of RFC 7616 §3.4 (RFC 2617 §3.2.2), hex in lower case.</summary>
internal static class DigestComputation
{
    /// <summary>H(data): the hash of the UTF-8 bytes, as lower-case hex.</summary>
    public static string Hash(DigestAlgorithm algorithm, string data) => Hash(algorithm, Encoding.UTF8.GetBytes(data));

    /// <summary>H(data) of raw bytes, as lower-case hex (used for the auth-int entity body).</summary>
    public static string Hash(DigestAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var length = algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess
            ? SHA256.HashData(data, digest)
            : MD5.HashData(data, digest);
        return Convert.ToHexStringLower(digest[..length]);
    }

    /// <summary>The request-digest.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="username">The user name.</param>
    /// <param name="realm">The realm.</param>
    /// <param name="password">The password.</param>
    /// <param name="nonce">The server nonce.</param>
    /// <param name="cnonce">The client nonce; needed with qop and with -sess algorithms.</param>
    /// <param name="nonceCount">The nc value, 8 hex digits; needed with qop.</param>
    /// <param name="qop">auth, auth-int, or <see langword="null"/> for the RFC 2069 form.</param>
    /// <param name="method">The SIP method.</param>
    /// <param name="uri">The digest-uri (the Request-URI).</param>
    /// <param name="body">The message body, hashed for auth-int.</param>
    public static string Response(
        DigestAlgorithm algorithm,
        string username,
        string realm,
        string password,
        string nonce,
        string? cnonce,
        string? nonceCount,
        string? qop,
        string method,
        string uri,
        ReadOnlySpan<byte> body)
    {
        var ha1 = Hash(algorithm, $"{username}:{realm}:{password}");
        if (algorithm.IsSession())
        {
            ha1 = Hash(algorithm, $"{ha1}:{nonce}:{cnonce}");
        }

        var a2 = string.Equals(qop, "auth-int", StringComparison.OrdinalIgnoreCase)
            ? $"{method}:{uri}:{Hash(algorithm, body)}"
            : $"{method}:{uri}";
        var ha2 = Hash(algorithm, a2);

        return qop is null
            ? Hash(algorithm, $"{ha1}:{nonce}:{ha2}")
            : Hash(algorithm, $"{ha1}:{nonce}:{nonceCount}:{cnonce}:{qop}:{ha2}");
    }
}
