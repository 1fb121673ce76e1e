using GatewayAgent.Sip.Auth;

namespace GatewayAgent.Sip.Tests.Auth;

/// <summary>Hands out given cnonces in turn, so credentials are reproducible.</summary>
internal sealed class FixedCnonceGenerator(params string[] cnonces) : IDigestCnonceGenerator
{
    private int _next;

    public string NextCnonce() => cnonces[_next++ % cnonces.Length];
}
