using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace GatewayAgent.Sip.Auth;

/// <summary>
/// Digest credentials: the value of an <c>Authorization</c> (after a 401) or <c>Proxy-Authorization</c> (after a 407)
/// header (RFC 3261 §22.2–22.3, RFC 7616 §3.4).
/// </summary>
public sealed record DigestCredentials
{
    /// <summary>The user name.</summary>
    public required string Username { get; init; }

    /// <summary>The realm, copied from the challenge.</summary>
    public required string Realm { get; init; }

    /// <summary>The nonce, copied from the challenge.</summary>
    public required string Nonce { get; init; }

    /// <summary>The digest-uri: the Request-URI of the request carrying these credentials.</summary>
    public required string Uri { get; init; }

    /// <summary>The request-digest, hex.</summary>
    public required string Response { get; init; }

    /// <summary>The algorithm name as written; <see langword="null"/> when absent (meaning MD5).</summary>
    public string? AlgorithmName { get; init; }

    /// <summary>The client nonce, present with qop and with -sess algorithms.</summary>
    public string? Cnonce { get; init; }

    /// <summary>The opaque value, copied from the challenge.</summary>
    public string? Opaque { get; init; }

    /// <summary>The qop chosen (<c>auth</c> or <c>auth-int</c>), or <see langword="null"/> for the RFC 2069 form.</summary>
    public string? Qop { get; init; }

    /// <summary>The nonce count, 8 hex digits, present with qop.</summary>
    public string? NonceCount { get; init; }

    /// <summary>The algorithm, or <see langword="null"/> when it is one we do not compute.</summary>
    public DigestAlgorithm? Algorithm =>
        DigestAlgorithmNames.TryParse(AlgorithmName ?? "MD5", out var algorithm) ? algorithm : null;

    /// <summary>
    /// Computes credentials answering a challenge. With qop offered, uses <c>auth</c> (or <c>auth-int</c> when that
    /// is all that is offered, hashing <paramref name="body"/>); without qop, the RFC 2069 form.
    /// </summary>
    /// <param name="challenge">The challenge; must be <see cref="DigestChallenge.IsSupported"/>.</param>
    /// <param name="method">The SIP method of the request, e.g. <c>INVITE</c>.</param>
    /// <param name="requestUri">The Request-URI of the request, e.g. <c>sip:bob@example.com</c>.</param>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="cnonce">The client nonce; used with qop or a -sess algorithm, ignored otherwise.</param>
    /// <param name="nonceCount">How many requests (this one included) have used this nonce, from 1.</param>
    /// <param name="body">The message body, for auth-int.</param>
    /// <exception cref="ArgumentException">The challenge is not supported, or cnonce is missing when needed.</exception>
    public static DigestCredentials Create(
        DigestChallenge challenge,
        string method,
        string requestUri,
        string username,
        string password,
        string? cnonce,
        uint nonceCount = 1,
        ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(requestUri);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        if (!challenge.IsSupported || challenge.Algorithm is not { } algorithm)
        {
            throw new ArgumentException(
                $"Cannot answer a Digest challenge with algorithm '{challenge.AlgorithmName}' and qop '{string.Join(",", challenge.QopOptions)}'.",
                nameof(challenge));
        }

        var qop = challenge.ChooseQop();
        var needsCnonce = qop is not null || algorithm.IsSession();
        if (needsCnonce && string.IsNullOrEmpty(cnonce))
        {
            throw new ArgumentException("This challenge needs a cnonce.", nameof(cnonce));
        }

        if (qop is not null && nonceCount == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nonceCount), "The nonce count starts at 1.");
        }

        var usedCnonce = needsCnonce ? cnonce : null;
        var nc = qop is null ? null : nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        var response = DigestComputation.Response(
            algorithm, username, challenge.Realm, password, challenge.Nonce, usedCnonce, nc, qop, method, requestUri, body);

        return new DigestCredentials
        {
            Username = username,
            Realm = challenge.Realm,
            Nonce = challenge.Nonce,
            Uri = requestUri,
            Response = response,
            AlgorithmName = algorithm.ToName(),
            Cnonce = usedCnonce,
            Opaque = challenge.Opaque,
            Qop = qop,
            NonceCount = nc,
        };
    }

    /// <summary>Parses an <c>Authorization</c> or <c>Proxy-Authorization</c> value with the Digest scheme; never throws.</summary>
    public static bool TryParse(
        string? headerValue,
        [NotNullWhen(true)] out DigestCredentials? credentials,
        [NotNullWhen(false)] out string? error)
    {
        credentials = null;
        if (!DigestParameterReader.TryRead(headerValue, out var sections, out error))
        {
            return false;
        }

        if (sections.Count != 1 || !string.Equals(sections[0].Scheme, "Digest", StringComparison.OrdinalIgnoreCase))
        {
            error = "expected one set of Digest credentials";
            return false;
        }

        var parameters = sections[0].Parameters;
        foreach (var required in (string[])["username", "realm", "nonce", "uri", "response"])
        {
            if (!parameters.ContainsKey(required))
            {
                error = $"the credentials have no {required}";
                return false;
            }
        }

        credentials = new DigestCredentials
        {
            Username = parameters["username"],
            Realm = parameters["realm"],
            Nonce = parameters["nonce"],
            Uri = parameters["uri"],
            Response = parameters["response"],
            AlgorithmName = parameters.GetValueOrDefault("algorithm"),
            Cnonce = parameters.GetValueOrDefault("cnonce"),
            Opaque = parameters.GetValueOrDefault("opaque"),
            Qop = parameters.GetValueOrDefault("qop"),
            NonceCount = parameters.GetValueOrDefault("nc"),
        };
        error = null;
        return true;
    }

    /// <summary>The header value: <c>Digest username="…", realm="…", …</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Digest ");
        Quoted(text, "username", Username, first: true);
        Quoted(text, "realm", Realm);
        Quoted(text, "nonce", Nonce);
        Quoted(text, "uri", Uri);
        Quoted(text, "response", Response);
        if (AlgorithmName is not null)
        {
            text.Append(", algorithm=").Append(AlgorithmName);
        }

        if (Cnonce is not null)
        {
            Quoted(text, "cnonce", Cnonce);
        }

        if (Opaque is not null)
        {
            Quoted(text, "opaque", Opaque);
        }

        if (Qop is not null)
        {
            text.Append(", qop=").Append(Qop);
        }

        if (NonceCount is not null)
        {
            text.Append(", nc=").Append(NonceCount);
        }

        return text.ToString();
    }

    private static void Quoted(StringBuilder text, string name, string value, bool first = false)
    {
        if (!first)
        {
            text.Append(", ");
        }

        text.Append(name).Append('=');
        DigestParameterReader.AppendQuoted(text, value);
    }
}
