namespace GatewayAgent.Sip.Auth;

/// <summary>The Digest algorithms we compute (RFC 7616 §3.2, RFC 8760 for SIP).</summary>
public enum DigestAlgorithm
{
    /// <summary><c>MD5</c>, the RFC 2617 default when a challenge names none.</summary>
    Md5,

    /// <summary><c>MD5-sess</c>: the MD5 session variant, A1 bound to nonce and cnonce.</summary>
    Md5Sess,

    /// <summary><c>SHA-256</c> (RFC 7616, RFC 8760).</summary>
    Sha256,

    /// <summary><c>SHA-256-sess</c>.</summary>
    Sha256Sess,
}
