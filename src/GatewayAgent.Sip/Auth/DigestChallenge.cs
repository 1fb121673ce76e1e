using System.Diagnostics.CodeAnalysis;

namespace GatewayAgent.Sip.Auth;

/// <summary>A Digest challenge from a <c>WWW-Authenticate</c> (401) or <c>Proxy-Authenticate</c> (407) header (RFC 3261 §22.4, RFC 7616 §3.3).</summary>
public sealed record DigestChallenge
{
    /// <summary>The protection space, shown to users and part of A1.</summary>
    public required string Realm { get; init; }

    /// <summary>The server's nonce.</summary>
    public required string Nonce { get; init; }

    /// <summary>Opaque data the credentials must return unchanged, if the server sent any.</summary>
    public string? Opaque { get; init; }

    /// <summary>The <c>domain</c> parameter, if present.</summary>
    public string? Domain { get; init; }

    /// <summary>The algorithm as named in the challenge; <c>MD5</c> when it named none.</summary>
    public string AlgorithmName { get; init; } = "MD5";

    /// <summary>The algorithm, or <see langword="null"/> when it is one we do not compute.</summary>
    public DigestAlgorithm? Algorithm { get; init; } = DigestAlgorithm.Md5;

    /// <summary>The qop options offered (e.g. <c>auth</c>, <c>auth-int</c>); empty for an RFC 2069-style challenge.</summary>
    public IReadOnlyList<string> QopOptions { get; init; } = [];

    /// <summary>Whether the server says the previous nonce was stale: retry with the new one without asking for a new password.</summary>
    public bool Stale { get; init; }

    /// <summary>Every parameter as received, names compared case-insensitively (unknown ones included).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether we can answer this challenge: a known algorithm, and either no qop or one of auth/auth-int.</summary>
    public bool IsSupported => Algorithm is not null && (QopOptions.Count == 0 || ChooseQop() is not null);

    /// <summary>Parses the first Digest challenge of a header value; never throws.</summary>
    public static bool TryParse(
        string? headerValue,
        [NotNullWhen(true)] out DigestChallenge? challenge,
        [NotNullWhen(false)] out string? error)
    {
        challenge = null;
        if (!DigestParameterReader.TryRead(headerValue, out var sections, out error))
        {
            return false;
        }

        foreach (var section in sections)
        {
            if (string.Equals(section.Scheme, "Digest", StringComparison.OrdinalIgnoreCase))
            {
                return TryCreate(section.Parameters, out challenge, out error);
            }
        }

        error = "no Digest challenge in the header value";
        return false;
    }

    /// <summary>
    /// All well-formed Digest challenges in a response's <c>WWW-Authenticate</c> or <c>Proxy-Authenticate</c> values,
    /// in order; other schemes and malformed values are skipped.
    /// </summary>
    public static IReadOnlyList<DigestChallenge> ParseAll(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        var challenges = new List<DigestChallenge>();
        foreach (var headerValue in headerValues)
        {
            if (!DigestParameterReader.TryRead(headerValue, out var sections, out _))
            {
                continue;
            }

            foreach (var section in sections)
            {
                if (string.Equals(section.Scheme, "Digest", StringComparison.OrdinalIgnoreCase)
                    && TryCreate(section.Parameters, out var challenge, out _))
                {
                    challenges.Add(challenge);
                }
            }
        }

        return challenges;
    }

    /// <summary>
    /// The challenge to answer among several: supported ones only, SHA-256 over MD5 (RFC 8760 §2.4), then one offering
    /// qop over one without, then the server's order. <see langword="null"/> when none is supported.
    /// </summary>
    public static DigestChallenge? SelectStrongest(IEnumerable<DigestChallenge> challenges)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        DigestChallenge? best = null;
        var bestRank = 0;
        foreach (var challenge in challenges)
        {
            if (!challenge.IsSupported)
            {
                continue;
            }

            var rank = (challenge.Algorithm!.Value.Strength() * 2) + (challenge.QopOptions.Count > 0 ? 1 : 0);
            if (rank > bestRank)
            {
                (best, bestRank) = (challenge, rank);
            }
        }

        return best;
    }

    /// <summary>The qop we answer with: <c>auth</c> when offered, else <c>auth-int</c>, else <see langword="null"/>.</summary>
    internal string? ChooseQop()
    {
        if (QopOptions.Contains("auth", StringComparer.OrdinalIgnoreCase))
        {
            return "auth";
        }

        return QopOptions.Contains("auth-int", StringComparer.OrdinalIgnoreCase) ? "auth-int" : null;
    }

    private static bool TryCreate(
        IReadOnlyDictionary<string, string> parameters,
        [NotNullWhen(true)] out DigestChallenge? challenge,
        [NotNullWhen(false)] out string? error)
    {
        challenge = null;
        if (!parameters.TryGetValue("realm", out var realm))
        {
            error = "the challenge has no realm";
            return false;
        }

        if (!parameters.TryGetValue("nonce", out var nonce) || nonce.Length == 0)
        {
            error = "the challenge has no nonce";
            return false;
        }

        var algorithmName = parameters.TryGetValue("algorithm", out var named) ? named : "MD5";
        _ = DigestAlgorithmNames.TryParse(algorithmName, out var algorithm);
        var qop = parameters.TryGetValue("qop", out var qopValue)
            ? qopValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

        challenge = new DigestChallenge
        {
            Realm = realm,
            Nonce = nonce,
            Opaque = parameters.GetValueOrDefault("opaque"),
            Domain = parameters.GetValueOrDefault("domain"),
            AlgorithmName = algorithmName,
            Algorithm = algorithm,
            QopOptions = qop,
            Stale = string.Equals(parameters.GetValueOrDefault("stale"), "true", StringComparison.OrdinalIgnoreCase),
            Parameters = parameters,
        };
        error = null;
        return true;
    }
}
