using Microsoft.AspNetCore.Identity;

namespace GatewayAgent.Portal.Tests;

/// <summary>The real PBKDF2 hasher, counting its verifications (the work a login does).</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<string>
{
    private readonly PasswordHasher<string> _inner = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(string user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(string user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
