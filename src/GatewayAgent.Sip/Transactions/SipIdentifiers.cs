using System.Security.Cryptography;

namespace GatewayAgent.Sip.Transactions;

/// <summary>Random tags, branches and Call-IDs (RFC 3261 §19.3: at least 32 bits of randomness).</summary>
public static class SipIdentifiers
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewTag() => Random(10);

    public static string NewBranch() => Messages.ViaHeader.MagicCookie + Random(16);

    public static string NewCallId(string host) => Random(20) + "@" + host;

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
