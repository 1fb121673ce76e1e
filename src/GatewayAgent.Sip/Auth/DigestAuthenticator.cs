namespace GatewayAgent.Sip.Auth;

/// <summary>
/// The client side of SIP Digest: picks the strongest challenge of a 401/407, makes a cnonce, counts how often each
/// nonce has been used (nc), and computes the credentials. Thread-safe; one per user agent.
/// </summary>
public sealed class DigestAuthenticator
{
    /// <summary>How many nonces the nonce-count memory holds before it starts over.</summary>
    public const int RememberedNonces = 256;

    private readonly IDigestCnonceGenerator _cnonceGenerator;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Realm, string Nonce), uint> _nonceCounts = [];

    /// <summary>Creates an authenticator.</summary>
    /// <param name="cnonceGenerator">The cnonce source; <see cref="RandomDigestCnonceGenerator"/> when omitted.</param>
    public DigestAuthenticator(IDigestCnonceGenerator? cnonceGenerator = null)
    {
        _cnonceGenerator = cnonceGenerator ?? new RandomDigestCnonceGenerator();
    }

    /// <summary>
    /// Answers the strongest supported challenge among a response's <c>WWW-Authenticate</c> or
    /// <c>Proxy-Authenticate</c> values; <see langword="null"/> when none can be answered.
    /// </summary>
    public DigestCredentials? Authenticate(
        IEnumerable<string> challengeHeaderValues,
        string method,
        string requestUri,
        string username,
        string password,
        ReadOnlySpan<byte> body = default)
    {
        var challenge = DigestChallenge.SelectStrongest(DigestChallenge.ParseAll(challengeHeaderValues));
        return challenge is null ? null : Authenticate(challenge, method, requestUri, username, password, body);
    }

    /// <summary>Answers one challenge with a fresh cnonce and the next nonce count for its nonce.</summary>
    /// <exception cref="ArgumentException">The challenge is not <see cref="DigestChallenge.IsSupported"/>.</exception>
    public DigestCredentials Authenticate(
        DigestChallenge challenge,
        string method,
        string requestUri,
        string username,
        string password,
        ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        uint nonceCount;
        lock (_gate)
        {
            var key = (challenge.Realm, challenge.Nonce);
            if (!_nonceCounts.TryGetValue(key, out nonceCount) && _nonceCounts.Count >= RememberedNonces)
            {
                _nonceCounts.Clear();
            }

            nonceCount++;
            _nonceCounts[key] = nonceCount;
        }

        return DigestCredentials.Create(
            challenge, method, requestUri, username, password, _cnonceGenerator.NextCnonce(), nonceCount, body);
    }
}
