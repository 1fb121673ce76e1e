using System.Security.Cryptography;
using System.Text;

namespace GatewayAgent.Controller.Routing;

/// <summary>
/// The HA1 a SIP registrar checks a digest against (RFC 2617 §3.2.2.2, RFC 3261 §22.4): MD5 of "user:realm:password",
/// lower-case hex. The controller computes it when a site password is set (the only time it sees the password) and
/// the edge reads it from the edge_subscribers view; it is as sensitive as the password for SIP, and useless elsewhere.
/// </summary>
public static class RegistrationDigest
{
    public static string Ha1(string user, string realm, string password)
    {
        // RFC 3261 digest requires MD5; kamailio's registrar checks MD5 HA1s.
#pragma warning disable CA5351
        var hash = MD5.HashData(Encoding.UTF8.GetBytes($"{user}:{realm}:{password}"));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }
}
