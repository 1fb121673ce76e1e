using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// SS-4, SS-6: the PBKDF2 work of the settings site's logins. A number holds up to two credentials, its password and a
/// temporary password (SS-3), and a login must try both. Both are hashed in ASP.NET Core Identity's V3 format (the
/// framework's <see cref="IPasswordHasher{TUser}"/> makes every fresh hash, and every hash stays verifiable by it), and
/// a temporary password is hashed with the salt of the number's password (<see cref="HashWithSaltOf"/>). A login then
/// derives the entered password once and compares the result with both: one PBKDF2 derivation per login, whether the
/// number has one credential, two or none, or does not exist (a dummy hash takes its place) — so the time a login takes
/// tells nothing, and a 2-core node has the CPU for 20 logins/s (issue 11, bench/RESULTS.md).
/// Two credentials with different salts (a password changed between the IVR's read and its write) are verified one
/// after the other: correct, only slower. Sharing the salt between a number's two credentials gives an attacker who
/// stole the hashes nothing but testing one guess against both of that number's credentials at once.
/// </summary>
public sealed class CredentialHasher
{
    // Identity's V3 layout: 0x01, PRF, iterations and salt length (big-endian uint32 each), salt, subkey.
    private const byte FormatMarker = 0x01;
    private const int HeaderBytes = 13;
    private const int MinimumBytes = 16;

    private readonly IPasswordHasher<string> _hasher;
    private readonly string _dummyHash;
    private long _derivations;

    public CredentialHasher(IPasswordHasher<string> hasher)
    {
        _hasher = hasher;
        _dummyHash = hasher.HashPassword(string.Empty, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
    }

    /// <summary>PBKDF2 derivations (and framework verifications) done so far: the work that logins cost.</summary>
    public long Derivations => Interlocked.Read(ref _derivations);

    /// <summary>A fresh hash of <paramref name="password"/> with a new salt, by the framework's hasher.</summary>
    public string Hash(string user, string password) => _hasher.HashPassword(user, password);

    /// <summary>
    /// A hash of <paramref name="password"/> with the salt, PRF and iteration count of <paramref name="sibling"/> (the
    /// same number's other credential), so that <see cref="Verify"/> needs one derivation for both; a fresh hash when
    /// there is no sibling or it is not in the V3 format.
    /// </summary>
    public string HashWithSaltOf(string user, string password, string? sibling)
    {
        if (sibling is null || !V3Hash.TryParse(sibling, out var parameters))
        {
            return _hasher.HashPassword(user, password);
        }

        return parameters.With(Derive(password, parameters)).Format();
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="first"/> and <paramref name="second"/> (null: that
    /// credential is absent or unusable, never a match). Always does the work of one derivation: against the dummy hash
    /// when both are null, once for both when they share a salt.
    /// </summary>
    public (bool First, bool Second) Verify(string? first, string? second, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (first is null || second is null)
        {
            var only = first ?? second;
            var matches = Matches(only ?? _dummyHash, password) && only is not null;
            return (matches && first is not null, matches && second is not null);
        }

        if (V3Hash.TryParse(first, out var a) && V3Hash.TryParse(second, out var b) && a.SharesSaltWith(b))
        {
            var subkey = Derive(password, a);
            return (CryptographicOperations.FixedTimeEquals(subkey, a.Subkey), CryptographicOperations.FixedTimeEquals(subkey, b.Subkey));
        }

        return (Matches(first, password), Matches(second, password));
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="hash"/> (one derivation).</summary>
    public bool Matches(string hash, string password)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (V3Hash.TryParse(hash, out var parameters))
        {
            return CryptographicOperations.FixedTimeEquals(Derive(password, parameters), parameters.Subkey);
        }

        Interlocked.Increment(ref _derivations);
        return _hasher.VerifyHashedPassword(string.Empty, hash, password) != PasswordVerificationResult.Failed;
    }

    // As Identity's KeyDerivation.Pbkdf2 on .NET: the password's UTF-8 bytes, the PRF's HMAC.
    private byte[] Derive(string password, V3Hash parameters)
    {
        Interlocked.Increment(ref _derivations);
        return Rfc2898DeriveBytes.Pbkdf2(password, parameters.Salt, parameters.Iterations, parameters.Algorithm, parameters.Subkey.Length);
    }

    private sealed record V3Hash(uint Prf, int Iterations, byte[] Salt, byte[] Subkey)
    {
        public HashAlgorithmName Algorithm => Prf switch
        {
            0 => HashAlgorithmName.SHA1,
            1 => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA512,
        };

        public static bool TryParse(string hash, out V3Hash parameters)
        {
            parameters = null!;
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(hash);
            }
            catch (FormatException)
            {
                return false;
            }

            if (bytes.Length < HeaderBytes || bytes[0] != FormatMarker)
            {
                return false;
            }

            var prf = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1));
            var iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5));
            var saltLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
            if (prf > 2 || iterations is 0 or > int.MaxValue || saltLength < MinimumBytes
                || saltLength > (uint)(bytes.Length - HeaderBytes - MinimumBytes))
            {
                return false;
            }

            var salt = bytes.AsSpan(HeaderBytes, (int)saltLength).ToArray();
            var subkey = bytes.AsSpan(HeaderBytes + (int)saltLength).ToArray();
            parameters = new V3Hash(prf, (int)iterations, salt, subkey);
            return true;
        }

        public bool SharesSaltWith(V3Hash other) =>
            Prf == other.Prf && Iterations == other.Iterations && Subkey.Length == other.Subkey.Length && Salt.AsSpan().SequenceEqual(other.Salt);

        public V3Hash With(byte[] subkey) => this with { Subkey = subkey };

        public string Format()
        {
            var bytes = new byte[HeaderBytes + Salt.Length + Subkey.Length];
            bytes[0] = FormatMarker;
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), Prf);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), (uint)Iterations);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(9), (uint)Salt.Length);
            Salt.CopyTo(bytes.AsSpan(HeaderBytes));
            Subkey.CopyTo(bytes.AsSpan(HeaderBytes + Salt.Length));
            return Convert.ToBase64String(bytes);
        }
    }
}
