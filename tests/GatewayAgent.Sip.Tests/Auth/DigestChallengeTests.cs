using GatewayAgent.Sip.Auth;

namespace GatewayAgent.Sip.Tests.Auth;

[Trait("Ring", "unit")]
public sealed class DigestChallengeTests
{
    [Fact]
    public void TryParse_Rfc2617Example_ReadsEveryParameter()
    {
        const string Value =
            "Digest\r\n realm=\"testrealm@host.com\",\r\n qop=\"auth,auth-int\",\r\n" +
            " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

        Assert.True(DigestChallenge.TryParse(Value, out var challenge, out var error), error);

        Assert.Equal("testrealm@host.com", challenge.Realm);
        Assert.Equal("dcd98b7102dd2f0e8b11d0f600bfb0c093", challenge.Nonce);
        Assert.Equal("5ccc069c403ebaf9f0171e9517f40e41", challenge.Opaque);
        Assert.Equal(["auth", "auth-int"], challenge.QopOptions);
        Assert.Equal(DigestAlgorithm.Md5, challenge.Algorithm);
        Assert.Equal("MD5", challenge.AlgorithmName);
        Assert.False(challenge.Stale);
        Assert.True(challenge.IsSupported);
    }

    [Fact]
    public void TryParse_SipChallenge_ReadsAlgorithmStaleAndDomain()
    {
        // RFC 3665-style 407.
        const string Value =
            "Digest realm=\"atlanta.com\", domain=\"sip:ss1.carrier.com\", qop=\"auth\", " +
            "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=TRUE, algorithm=SHA-256-sess";

        Assert.True(DigestChallenge.TryParse(Value, out var challenge, out _));

        Assert.Equal(DigestAlgorithm.Sha256Sess, challenge.Algorithm);
        Assert.Equal("sip:ss1.carrier.com", challenge.Domain);
        Assert.Equal("", challenge.Opaque);
        Assert.True(challenge.Stale);
    }

    [Fact]
    public void TryParse_CaseInsensitiveNamesUnknownParamsAndUnquotedValues_AreTolerated()
    {
        const string Value =
            "digest REALM=\"r\" , Nonce=abc/def+==,ALGORITHM=md5 ,qop=auth, charset=UTF-8, userhash=false,,x-vendor=\"1\"";

        Assert.True(DigestChallenge.TryParse(Value, out var challenge, out var error), error);

        Assert.Equal("r", challenge.Realm);
        Assert.Equal("abc/def+==", challenge.Nonce);
        Assert.Equal(DigestAlgorithm.Md5, challenge.Algorithm);
        Assert.Equal("md5", challenge.AlgorithmName);
        Assert.Equal(["auth"], challenge.QopOptions);
        Assert.Equal("1", challenge.Parameters["X-VENDOR"]);
        Assert.Equal("UTF-8", challenge.Parameters["charset"]);
    }

    [Fact]
    public void TryParse_QuotedStringEscapes_AreUnescaped()
    {
        const string Value = """Digest realm="a \"quoted\" realm, with a comma \\ and backslash", nonce="n" """;

        Assert.True(DigestChallenge.TryParse(Value, out var challenge, out _));

        Assert.Equal("""a "quoted" realm, with a comma \ and backslash""", challenge.Realm);
    }

    [Fact]
    public void TryParse_UnknownAlgorithm_ParsesButIsNotSupported()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", out var challenge, out _));

        Assert.Null(challenge.Algorithm);
        Assert.Equal("SHA-512-256", challenge.AlgorithmName);
        Assert.False(challenge.IsSupported);
    }

    [Fact]
    public void TryParse_OnlyUnknownQop_IsNotSupported()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", qop=\"auth-conf\"", out var challenge, out _));

        Assert.False(challenge.IsSupported);
    }

    [Fact]
    public void TryParse_SeveralSchemesInOneValue_FindsTheDigestOne()
    {
        const string Value = "Basic realm=\"basic\", Digest realm=\"digest\", nonce=\"n\", Newauth realm=\"x\"";

        Assert.True(DigestChallenge.TryParse(Value, out var challenge, out var error), error);

        Assert.Equal("digest", challenge.Realm);
        Assert.Equal(2, challenge.Parameters.Count);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("Basic realm=\"x\"", "no Digest challenge")]
    [InlineData("Digest nonce=\"n\"", "no realm")]
    [InlineData("Digest realm=\"r\"", "no nonce")]
    [InlineData("Digest realm=\"r\", nonce=\"\"", "no nonce")]
    [InlineData("Digest realm=\"r, nonce=\"n\"", "expected ','")]
    [InlineData("Digest realm=\"r\", nonce=\"n", "unterminated quoted string")]
    [InlineData("Digest realm=\"r\" nonce=\"n\"", "expected ','")]
    [InlineData("Digest realm=", "expected a parameter value")]
    [InlineData("Digest realm=\"r\", realm=\"s\", nonce=\"n\"", "appears twice")]
    [InlineData("Digest realm", "expected '='")]
    [InlineData("=\"r\"", "expected an authentication scheme")]
    [InlineData("Digest realm=\"a\u0001b\", nonce=\"n\"", "control character")]
    public void TryParse_Malformed_ReturnsReason(string? value, string expectedReason)
    {
        Assert.False(DigestChallenge.TryParse(value, out var challenge, out var error));

        Assert.Null(challenge);
        Assert.Contains(expectedReason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RandomInput_NeverThrows()
    {
        var random = new Random(2617);
        const string Alphabet = "Digest realm=\"nonce,qop\\ \t\r\n=,\"auth-int";
        for (var round = 0; round < 5000; round++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = round % 3 == 0 ? (char)random.Next(0, 0x250) : Alphabet[random.Next(Alphabet.Length)];
            }

            var parsed = DigestChallenge.TryParse(new string(chars), out var challenge, out var error);

            Assert.Equal(parsed, challenge is not null);
            Assert.Equal(parsed, error is null);
        }
    }

    [Fact]
    public void ParseAll_SkipsOtherSchemesAndMalformedValues()
    {
        var challenges = DigestChallenge.ParseAll(
        [
            "Digest realm=\"a\", nonce=\"1\", algorithm=SHA-256",
            "Basic realm=\"b\"",
            "Digest realm=\"broken",
            "Digest realm=\"c\", nonce=\"3\", Digest realm=\"d\", nonce=\"4\"",
        ]);

        Assert.Equal(["a", "c", "d"], challenges.Select(c => c.Realm));
    }

    [Fact]
    public void SelectStrongest_PrefersSha256OverMd5_RegardlessOfOrder()
    {
        var challenges = DigestChallenge.ParseAll(
        [
            "Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=MD5",
            "Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256",
        ]);

        Assert.Equal(DigestAlgorithm.Sha256, DigestChallenge.SelectStrongest(challenges)!.Algorithm);
        Assert.Equal(DigestAlgorithm.Sha256, DigestChallenge.SelectStrongest(challenges.Reverse())!.Algorithm);
    }

    [Fact]
    public void SelectStrongest_SkipsUnsupportedAndPrefersQopThenOfferOrder()
    {
        var challenges = DigestChallenge.ParseAll(
        [
            "Digest realm=\"r\", nonce=\"1\", algorithm=SHA-512-256, qop=\"auth\"",
            "Digest realm=\"r\", nonce=\"2\", algorithm=MD5",
            "Digest realm=\"r\", nonce=\"3\", algorithm=MD5-sess, qop=\"auth\"",
            "Digest realm=\"r\", nonce=\"4\", algorithm=MD5, qop=\"auth\"",
        ]);

        Assert.Equal("3", DigestChallenge.SelectStrongest(challenges)!.Nonce);
    }

    [Fact]
    public void SelectStrongest_NothingSupported_ReturnsNull()
    {
        var challenges = DigestChallenge.ParseAll(["Digest realm=\"r\", nonce=\"1\", algorithm=SHA-512-256"]);

        Assert.Null(DigestChallenge.SelectStrongest(challenges));
        Assert.Null(DigestChallenge.SelectStrongest([]));
    }
}
