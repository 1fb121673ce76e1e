namespace GatewayAgent.Sip.Auth;

/// <summary>Makes client nonces (cnonce) for Digest credentials; replaced in tests to get fixed values.</summary>
public interface IDigestCnonceGenerator
{
    /// <summary>A fresh, unpredictable cnonce made of characters safe in a quoted string.</summary>
    string NextCnonce();
}
