using GatewayAgent.Sip.Auth;

namespace GatewayAgent.Sip.Tests.Auth;

[Trait("Ring", "unit")]
public sealed class DigestAuthenticatorTests
{
    private const string Md5Challenge =
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, " +
        "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";

    private const string Sha256Challenge =
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, " +
        "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";

    [Fact]
    public void Authenticate_Rfc7616TwoChallenges_AnswersSha256WithTheInjectedCnonce()
    {
        var authenticator = new DigestAuthenticator(new FixedCnonceGenerator("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"));

        var credentials = authenticator.Authenticate([Md5Challenge, Sha256Challenge], "GET", "/dir/index.html", "Mufasa", "Circle of Life");

        Assert.NotNull(credentials);
        Assert.Equal("SHA-256", credentials.AlgorithmName);
        Assert.Equal("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", credentials.Response);
        Assert.Equal("00000001", credentials.NonceCount);
    }

    [Fact]
    public void Authenticate_SameNonceAgain_IncrementsTheNonceCount()
    {
        var authenticator = new DigestAuthenticator(new FixedCnonceGenerator("a", "b"));
        Assert.True(DigestChallenge.TryParse(Md5Challenge, out var challenge, out _));

        var first = authenticator.Authenticate(challenge, "REGISTER", "sip:example.org", "u", "p");
        var second = authenticator.Authenticate(challenge, "REGISTER", "sip:example.org", "u", "p");
        var otherNonce = authenticator.Authenticate(challenge with { Nonce = "other" }, "REGISTER", "sip:example.org", "u", "p");

        Assert.Equal(("00000001", "a"), (first.NonceCount, first.Cnonce));
        Assert.Equal(("00000002", "b"), (second.NonceCount, second.Cnonce));
        Assert.Equal("00000001", otherNonce.NonceCount);
        Assert.True(DigestVerifier.Verify(second.ToString(), "p", "REGISTER"));
    }

    [Fact]
    public void Authenticate_NothingAnswerable_ReturnsNull()
    {
        var authenticator = new DigestAuthenticator();

        Assert.Null(authenticator.Authenticate(["Basic realm=\"x\"", "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256"], "INVITE", "sip:x", "u", "p"));
    }

    [Fact]
    public void Authenticate_DefaultGenerator_MakesFreshRandomCnonces()
    {
        var authenticator = new DigestAuthenticator();

        var a = authenticator.Authenticate([Sha256Challenge], "INVITE", "sip:x", "u", "p")!;
        var b = authenticator.Authenticate([Sha256Challenge], "INVITE", "sip:x", "u", "p")!;

        Assert.Equal(32, a.Cnonce!.Length);
        Assert.NotEqual(a.Cnonce, b.Cnonce);
        Assert.True(DigestVerifier.Verify(a.ToString(), "p", "INVITE"));
    }
}
