namespace GatewayAgent.Sip.Auth;

/// <summary>
/// The client side of SIP Digest: picks the strongest challenge of a 401/407, makes a cnonce, counts how often each
/// nonce has been used (nc), and computes the credentials. Thread-safe; one per user agent.
/// </summary>
public sealed class DigestAuthenticator
{
    /// <summary>How many nonces the nonce-count memory holds before it starts over.</summary>
    public const int RememberedNonces = 256;

    private readonly IDigestCnonceGenerator cnonceGenerator;
    private readonly Lock gate = new();
    private readonly Dictionary<(string Realm, string Nonce), uint> nonceCounts = [];

    /// <summary>Creates an authenticator.</summary>
    /// <param name="cnonceGenerator">The cnonce source; <see cref="RandomDigestCnonceGenerator"/> when omitted.</param>
    public DigestAuthenticator(IDigestCnonceGenerator? cnonceGenerator = null)
    {
        this.cnonceGenerator = cnonceGenerator ?? new RandomDigestCnonceGenerator();
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
        lock (gate)
        {
            var key = (challenge.Realm, challenge.Nonce);
            if (!nonceCounts.TryGetValue(key, out nonceCount) && nonceCounts.Count >= RememberedNonces)
            {
                nonceCounts.Clear();
            }

            nonceCount++;
            nonceCounts[key] = nonceCount;
        }

        return DigestCredentials.Create(
            challenge, method, requestUri, username, password, cnonceGenerator.NextCnonce(), nonceCount, body);
    }
}
