using System.Security.Cryptography;
using System.Text;

namespace GatewayAgent.Sip.Auth;

/// <summary>
/// The server side of Digest: checks that credentials carry the right response for a password and method.
/// It does not judge the nonce (freshness, replay), the realm, or whether <c>uri</c> matches the Request-URI
/// (RFC 3261 §22.4); the caller checks those against what it issued and received.
/// </summary>
public static class DigestVerifier
{
    /// <summary>Whether an <c>Authorization</c>/<c>Proxy-Authorization</c> value is right for the password; false when malformed.</summary>
    public static bool Verify(string? headerValue, string password, string method, ReadOnlySpan<byte> body = default) =>
        DigestCredentials.TryParse(headerValue, out var credentials, out _)
        && Verify(credentials, password, method, body);

    /// <summary>Whether parsed credentials are right for the password and method.</summary>
    public static bool Verify(DigestCredentials credentials, string password, string method, ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(method);
        if (credentials.Algorithm is not { } algorithm)
        {
            return false;
        }

        var qop = credentials.Qop;
        if (qop is not null)
        {
            if (!string.Equals(qop, "auth", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(qop, "auth-int", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (string.IsNullOrEmpty(credentials.Cnonce)
                || credentials.NonceCount is not { Length: 8 } nc
                || !nc.All(char.IsAsciiHexDigit))
            {
                return false;
            }
        }
        else if (algorithm.IsSession() && string.IsNullOrEmpty(credentials.Cnonce))
        {
            return false;
        }

        var expected = DigestComputation.Response(
            algorithm,
            credentials.Username,
            credentials.Realm,
            password,
            credentials.Nonce,
            credentials.Cnonce,
            credentials.NonceCount,
            qop, // hashed as the client wrote it
            method,
            credentials.Uri,
            body);

        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected),
            Encoding.ASCII.GetBytes(credentials.Response.ToLowerInvariant()));
    }
}
