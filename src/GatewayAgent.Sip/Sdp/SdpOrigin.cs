namespace GatewayAgent.Sip.Sdp;

/// <summary>An SDP <c>o=</c> line (RFC 4566 §5.2).</summary>
/// <param name="Username">The originator's login, or <c>-</c>.</param>
/// <param name="SessionId">A numeric string that, with the other fields, identifies the session globally.</param>
/// <param name="SessionVersion">Incremented each time the description changes (RFC 3264 §8).</param>
/// <param name="NetworkType">Normally <c>IN</c>.</param>
/// <param name="AddressType"><c>IP4</c> or <c>IP6</c>.</param>
/// <param name="UnicastAddress">The originating host's address.</param>
public sealed record SdpOrigin(
    string Username,
    string SessionId,
    ulong SessionVersion,
    string NetworkType,
    string AddressType,
    string UnicastAddress)
{
    /// <summary>The line value as it appears after <c>o=</c>.</summary>
    public override string ToString() =>
        $"{Username} {SessionId} {SessionVersion} {NetworkType} {AddressType} {UnicastAddress}";
}
