using System.Diagnostics.CodeAnalysis;

namespace GatewayAgent.Sip.Auth;

/// <summary>The wire names of <see cref="DigestAlgorithm"/> values and how strong each is.</summary>
public static class DigestAlgorithmNames
{
    /// <summary>The name as written in an <c>algorithm=</c> parameter.</summary>
    public static string ToName(this DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5Sess => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Sess => "SHA-256-sess",
        _ => "MD5",
    };

    /// <summary>Reads an algorithm name, case-insensitively; false for algorithms we do not compute (e.g. SHA-512-256).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out DigestAlgorithm? algorithm)
    {
        algorithm = name?.ToUpperInvariant() switch
        {
            "MD5" => DigestAlgorithm.Md5,
            "MD5-SESS" => DigestAlgorithm.Md5Sess,
            "SHA-256" => DigestAlgorithm.Sha256,
            "SHA-256-SESS" => DigestAlgorithm.Sha256Sess,
            _ => null,
        };
        return algorithm is not null;
    }

    /// <summary>Whether this is a <c>-sess</c> variant, whose A1 includes the nonce and cnonce.</summary>
    public static bool IsSession(this DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess;

    /// <summary>A rank for choosing among challenges: SHA-256 above MD5 (RFC 8760 §2.4).</summary>
    internal static int Strength(this DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess ? 2 : 1;
}
