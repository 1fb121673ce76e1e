using System.Security.Cryptography;

namespace GatewayAgent.Sip.Auth;

/// <summary>The default cnonce source: 128 bits from <see cref="RandomNumberGenerator"/>, as 32 hex characters.</summary>
public sealed class RandomDigestCnonceGenerator : IDigestCnonceGenerator
{
    /// <inheritdoc />
    public string NextCnonce()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
