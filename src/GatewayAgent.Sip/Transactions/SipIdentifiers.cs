using System.Security.Cryptography;

namespace GatewayAgent.Sip.Transactions;

/// <summary>Random tags, branches and Call-IDs (RFC 3261 §19.3: at least 32 bits of randomness).</summary>
public static class SipIdentifiers
{
    // 32 token characters: each random byte gives one of them by its low 5 bits, without bias, so an identifier costs
    // one read of the system's random generator (the prober makes five per call).
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>10 characters, 50 bits.</summary>
    public static string NewTag() => Random("", 10);

    /// <summary>The magic cookie and 16 characters, 80 bits.</summary>
    public static string NewBranch() => Random(Messages.ViaHeader.MagicCookie, 16);

    /// <summary>20 characters (100 bits) @ the host.</summary>
    public static string NewCallId(string host) => Random("", 20) + "@" + host;

    private static string Random(string prefix, int length) =>
        string.Create(prefix.Length + length, prefix, static (chars, prefix) =>
        {
            prefix.CopyTo(chars);
            var random = chars[prefix.Length..];
            Span<byte> bytes = stackalloc byte[random.Length];
            RandomNumberGenerator.Fill(bytes);
            for (var i = 0; i < random.Length; i++)
            {
                random[i] = Alphabet[bytes[i] & 31];
            }
        });
}
