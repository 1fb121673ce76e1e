using GatewayAgent.Controller.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Accounts;

/// <summary>
/// SS-4, SS-6: a number's password and temporary password verified with one PBKDF2 derivation, in hashes the
/// framework's <see cref="PasswordHasher{TUser}"/> reads and writes (low iteration counts keep the tests fast; the
/// format and the derivation are the same).
/// </summary>
[Trait("Ring", "unit")]
public sealed class CredentialHasherTests
{
    private static readonly PasswordHasher<string> Framework = new(Options.Create(new PasswordHasherOptions { IterationCount = 1_000 }));

    public static TheoryData<string> Passwords => new() { "Gw7kPq2x9Z", "58203914", "", "パスワード\u00e9x", "a" };

    [Theory]
    [MemberData(nameof(Passwords))]
    public void A_hash_with_a_siblings_salt_is_a_framework_V3_hash_the_framework_verifies(string password)
    {
        var hasher = new CredentialHasher(Framework);
        var sibling = Framework.HashPassword("u", "Other1x9Zq");

        var hash = hasher.HashWithSaltOf("u", password, sibling);

        Assert.Equal(PasswordVerificationResult.Success, Framework.VerifyHashedPassword("u", hash, password));
        Assert.Equal(PasswordVerificationResult.Failed, Framework.VerifyHashedPassword("u", hash, password + "x"));
        Assert.Equal(Convert.FromBase64String(sibling)[..(13 + 16)], Convert.FromBase64String(hash)[..(13 + 16)]); // same PRF, count, salt
    }

    [Theory]
    [MemberData(nameof(Passwords))]
    public void A_framework_hash_is_matched_as_the_framework_matches_it(string password)
    {
        var hasher = new CredentialHasher(Framework);
        var hash = Framework.HashPassword("u", password);

        Assert.True(hasher.Matches(hash, password));
        Assert.False(hasher.Matches(hash, password + "1"));
    }

    [Fact]
    public void Two_credentials_sharing_a_salt_are_both_checked_with_one_derivation()
    {
        var hasher = new CredentialHasher(Framework);
        var password = hasher.Hash("u", "Gw7kPq2x9Z");
        var temporary = hasher.HashWithSaltOf("u", "58203914", password);

        var before = hasher.Derivations;
        Assert.Equal((true, false), hasher.Verify(password, temporary, "Gw7kPq2x9Z"));
        Assert.Equal((false, true), hasher.Verify(password, temporary, "58203914"));
        Assert.Equal((false, false), hasher.Verify(password, temporary, "Wrong0x9Z"));

        Assert.Equal(3, hasher.Derivations - before);
    }

    [Fact]
    public void Every_login_costs_one_derivation_whatever_credentials_the_number_holds_or_none()
    {
        var hasher = new CredentialHasher(Framework);
        var password = hasher.Hash("u", "Gw7kPq2x9Z");

        foreach (var (first, second) in new[] { (password, (string?)null), (null, password), ((string?)null, (string?)null) })
        {
            var before = hasher.Derivations;
            Assert.Equal((false, false), hasher.Verify(first, second, "Wrong0x9Z"));
            Assert.Equal(1, hasher.Derivations - before);
        }

        Assert.Equal((true, false), hasher.Verify(password, null, "Gw7kPq2x9Z"));
        Assert.Equal((false, true), hasher.Verify(null, password, "Gw7kPq2x9Z"));
    }

    [Fact]
    public void Credentials_with_different_salts_are_still_verified_each_with_its_own()
    {
        var hasher = new CredentialHasher(Framework);
        var password = hasher.Hash("u", "Gw7kPq2x9Z");
        var temporary = hasher.Hash("u", "58203914"); // issued with a fresh salt (the password changed in between)

        var before = hasher.Derivations;
        Assert.Equal((true, false), hasher.Verify(password, temporary, "Gw7kPq2x9Z"));
        Assert.Equal((false, true), hasher.Verify(password, temporary, "58203914"));
        Assert.Equal(4, hasher.Derivations - before);
    }

    [Fact]
    public void A_hash_in_the_frameworks_older_V2_format_is_verified_by_the_framework()
    {
        var v2 = new PasswordHasher<string>(Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2 }));
        var hasher = new CredentialHasher(v2);
        var hash = v2.HashPassword("u", "Gw7kPq2x9Z");

        Assert.Equal((true, false), hasher.Verify(hash, null, "Gw7kPq2x9Z"));
        Assert.False(hasher.Matches(hash, "Wrong0x9Z"));
        Assert.Equal(hash.Length, hasher.HashWithSaltOf("u", "58203914", hash).Length); // no V3 salt to share: a fresh V2 hash
    }
}
