using System.Text;
using GatewayAgent.Sip.Auth;

namespace GatewayAgent.Sip.Tests.Auth;

[Trait("Ring", "unit")]
public sealed class DigestCredentialsTests
{
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    private static DigestChallenge Challenge(string value)
    {
        Assert.True(DigestChallenge.TryParse(value, out var challenge, out var error), error);
        return challenge;
    }

    [Fact]
    public void Create_Rfc2617Section3_5Example_GivesTheRfcResponse()
    {
        var challenge = Challenge(
            "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", " +
            "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");

        var credentials = DigestCredentials.Create(challenge, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", "0a4f113b", 1);

        Assert.Equal("6629fae49393a05397450978507c4ef1", credentials.Response);
        Assert.Equal(
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", " +
            "uri=\"/dir/index.html\", response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, cnonce=\"0a4f113b\", " +
            "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001",
            credentials.ToString());
    }

    [Theory]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    public void Create_Rfc7616Section3_9_1Example_GivesTheRfcResponse(string algorithm, string expected)
    {
        var challenge = Challenge(
            $"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={algorithm}, " +
            $"nonce=\"{Rfc7616Nonce}\", opaque=\"{Rfc7616Opaque}\"");

        var credentials = DigestCredentials.Create(challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life", Rfc7616Cnonce, 1);

        Assert.Equal(expected, credentials.Response);
        Assert.Equal(algorithm, credentials.AlgorithmName);
        Assert.Equal(Rfc7616Opaque, credentials.Opaque);
    }

    // Expected values computed independently (Python hashlib) from the RFC 7616 §3.4 formulas.
    [Theory]
    [InlineData("MD5", null, "dd50dd6ea935bc8bd2d6401f00755476")]
    [InlineData("SHA-256", null, "f66355e6b1a4e6982fad1287b243870145d6e974545bbc47adeeef0503f40d10")]
    [InlineData("MD5-sess", "auth", "59a4f3b1a45097d4c46c83b565f1b45b")]
    [InlineData("SHA-256-sess", "auth", "4bff3c5cf059d03409d196765dc75866b9948d6312179c8ad93e70b7fc7599f6")]
    public void Create_LegacyAndSessionVariants_GiveTheExpectedResponse(string algorithm, string? qop, string expected)
    {
        var challenge = Challenge(
            $"Digest realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", algorithm={algorithm}" +
            (qop is null ? "" : $", qop=\"{qop}\""));

        var credentials = DigestCredentials.Create(challenge, "INVITE", "sip:bob@biloxi.com", "alice", "secret", "0a4f113b", 1);

        Assert.Equal(expected, credentials.Response);
        Assert.Equal(qop, credentials.Qop);
    }

    [Fact]
    public void Create_WithoutQop_OmitsCnonceAndNonceCount()
    {
        var challenge = Challenge("Digest realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\"");

        var credentials = DigestCredentials.Create(challenge, "INVITE", "sip:bob@biloxi.com", "alice", "secret", "ignored", 1);

        Assert.Null(credentials.Cnonce);
        Assert.Null(credentials.NonceCount);
        Assert.DoesNotContain("cnonce", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("qop", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("opaque", credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OnlyAuthIntOffered_HashesTheBody()
    {
        var challenge = Challenge("Digest realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", qop=\"auth-int\"");
        var body = Encoding.UTF8.GetBytes("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n");

        var credentials = DigestCredentials.Create(challenge, "INVITE", "sip:bob@biloxi.com", "alice", "secret", "0a4f113b", 1, body);

        Assert.Equal("auth-int", credentials.Qop);
        Assert.Equal("176caddcc457a232742ae24d14e664c8", credentials.Response);
    }

    [Fact]
    public void Create_NonceCount_IsWrittenAsEightHexDigits()
    {
        var challenge = Challenge("Digest realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", qop=\"auth\"");

        var credentials = DigestCredentials.Create(challenge, "REGISTER", "sip:atlanta.com", "alice", "secret", "0a4f113b", 2);

        Assert.Equal("00000002", credentials.NonceCount);
        Assert.Equal("a0f688765e93e5f2bde2415f2763d6e7", credentials.Response);
        Assert.Equal("0000001a", DigestCredentials.Create(challenge, "REGISTER", "sip:atlanta.com", "alice", "secret", "c", 26).NonceCount);
    }

    [Fact]
    public void Create_UnsupportedChallengeOrMissingCnonce_Throws()
    {
        var unsupported = Challenge("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256");
        var needsCnonce = Challenge("Digest realm=\"r\", nonce=\"n\", qop=\"auth\"");

        Assert.Throws<ArgumentException>(() => DigestCredentials.Create(unsupported, "INVITE", "sip:x", "u", "p", "c"));
        Assert.Throws<ArgumentException>(() => DigestCredentials.Create(needsCnonce, "INVITE", "sip:x", "u", "p", null));
    }

    [Fact]
    public void ToString_EscapesQuotesAndBackslashes_AndTryParseReadsThemBack()
    {
        var challenge = Challenge("Digest realm=\"a \\\"b\\\" \\\\ c\", nonce=\"n\", qop=\"auth\"");
        var credentials = DigestCredentials.Create(challenge, "INVITE", "sip:bob@biloxi.com", "Jo \"J\" Doe", "p", "c", 1);

        var text = credentials.ToString();

        Assert.Contains("username=\"Jo \\\"J\\\" Doe\"", text, StringComparison.Ordinal);
        Assert.Contains("realm=\"a \\\"b\\\" \\\\ c\"", text, StringComparison.Ordinal);
        Assert.True(DigestCredentials.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(credentials, parsed);
    }

    [Theory]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\"")]
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\"")]
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\", Digest username=\"v\"")]
    [InlineData("Digest username=\"u")]
    public void TryParse_MalformedOrIncomplete_ReturnsFalse(string value)
    {
        Assert.False(DigestCredentials.TryParse(value, out var credentials, out var error));
        Assert.Null(credentials);
        Assert.NotNull(error);
    }
}
