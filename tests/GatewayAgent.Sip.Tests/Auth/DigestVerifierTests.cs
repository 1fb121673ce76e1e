using System.Text;
using GatewayAgent.Sip.Auth;

namespace GatewayAgent.Sip.Tests.Auth;

[Trait("Ring", "unit")]
public sealed class DigestVerifierTests
{
    private const string Rfc2617Authorization =
        "Digest username=\"Mufasa\",\r\n realm=\"testrealm@host.com\",\r\n nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n" +
        " uri=\"/dir/index.html\",\r\n qop=auth,\r\n nc=00000001,\r\n cnonce=\"0a4f113b\",\r\n" +
        " response=\"6629fae49393a05397450978507c4ef1\",\r\n opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    [Fact]
    public void Verify_Rfc2617Authorization_IsAcceptedWithTheRightPassword()
    {
        Assert.True(DigestVerifier.Verify(Rfc2617Authorization, "Circle Of Life", "GET"));
    }

    [Theory]
    [InlineData("Circle of Life", "GET")]
    [InlineData("Circle Of Life", "POST")]
    public void Verify_WrongPasswordOrMethod_IsRejected(string password, string method)
    {
        Assert.False(DigestVerifier.Verify(Rfc2617Authorization, password, method));
    }

    [Fact]
    public void Verify_UpperCaseHexResponse_IsAccepted()
    {
        var upper = Rfc2617Authorization.Replace("6629fae49393a05397450978507c4ef1", "6629FAE49393A05397450978507C4EF1", StringComparison.Ordinal);

        Assert.True(DigestVerifier.Verify(upper, "Circle Of Life", "GET"));
    }

    [Theory]
    [InlineData("MD5", "")]
    [InlineData("MD5", ", qop=\"auth\"")]
    [InlineData("MD5-sess", ", qop=\"auth\"")]
    [InlineData("MD5-sess", "")]
    [InlineData("SHA-256", ", qop=\"auth\"")]
    [InlineData("SHA-256", "")]
    [InlineData("SHA-256-sess", ", qop=\"auth\"")]
    [InlineData("SHA-256", ", qop=\"auth-int\"")]
    public void Verify_RoundTripsEveryAlgorithmAndQop(string algorithm, string qop)
    {
        Assert.True(DigestChallenge.TryParse($"Digest realm=\"biloxi.com\", nonce=\"abc123\", algorithm={algorithm}{qop}", out var challenge, out _));
        var body = Encoding.UTF8.GetBytes("v=0\r\n");
        var authenticator = new DigestAuthenticator(new FixedCnonceGenerator("cn"));

        var header = authenticator.Authenticate(challenge, "INVITE", "sip:bob@biloxi.com", "bob", "zanzibar", body).ToString();

        Assert.True(DigestVerifier.Verify(header, "zanzibar", "INVITE", body));
        Assert.False(DigestVerifier.Verify(header, "zanzibar!", "INVITE", body));
        Assert.False(DigestVerifier.Verify(header, "zanzibar", "BYE", body));
    }

    [Fact]
    public void Verify_AuthIntWithADifferentBody_IsRejected()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", out var challenge, out _));
        var header = DigestCredentials.Create(challenge, "INVITE", "sip:x", "u", "p", "c", 1, "body one"u8).ToString();

        Assert.True(DigestVerifier.Verify(header, "p", "INVITE", "body one"u8));
        Assert.False(DigestVerifier.Verify(header, "p", "INVITE", "body two"u8));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Digest garbage")]
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\", algorithm=SHA-512-256")]
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\", qop=auth, nc=00000001")]
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\", qop=auth, cnonce=\"c\", nc=1")]
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\", qop=auth-conf, cnonce=\"c\", nc=00000001")]
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\", algorithm=MD5-sess")]
    public void Verify_MalformedOrIncompleteCredentials_AreRejected(string? header)
    {
        Assert.False(DigestVerifier.Verify(header, "p", "INVITE"));
    }
}
