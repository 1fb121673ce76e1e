namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// What a conforming UAS does with one RFC 4475 message when it arrives over UDP, from MANIFEST.tsv's class and
/// expectation column: answer it (with which codes), reject it (a 4xx/505, or drop it), or drop it without a word.
/// </summary>
internal sealed record Rfc4475Expectation(string Text, Rfc4475Outcome Outcome, Func<int, bool> Allows, Func<WireMessage, string?>? Check = null)
{
    /// <summary>A valid request answered 400 or 505 was not parsed as valid.</summary>
    private static readonly Func<int, bool> AnyFinalButBadRequest = code => code is not (400 or 505);

    private static readonly Func<int, bool> Rejection = code => code is >= 400 and < 500 or 505;

    public static Rfc4475Expectation For(string name, string @class, byte[] message)
    {
        if (message.AsSpan().StartsWith("SIP/"u8))
        {
            // noreason, unreason, bcast, scalarlg, bigcode: responses match no client transaction of ours.
            return new("a response: dropped silently", Rfc4475Outcome.Dropped, _ => false);
        }

        return name switch
        {
            "insuf" => new("400 (missing Call-ID, From, To)", Rfc4475Outcome.Answered, code => code == 400),
            "unkscm" => new("416 or 404", Rfc4475Outcome.Answered, code => code is 416 or 404),
            "novelsc" => new("a final response (416/404 expected)", Rfc4475Outcome.Answered, _ => true),
            "unksm2" => new("a final response (a registrar would say 400/416)", Rfc4475Outcome.Answered, _ => true),
            "bext01" => new("420 with Unsupported: nothingSupportsThis, nothingSupportsThisEither", Rfc4475Outcome.Answered, code => code == 420, CheckUnsupported),

            // RFC 3261 §8.2.2.1 checks the Request-URI before §8.2.3 looks at the body: sip:user@... is not a monitoring
            // number, so 404 is as right as 415 here. The 415 itself is asserted with the number put in (see the tests).
            "invut" => new("415 (or 404: the Request-URI is checked first)", Rfc4475Outcome.Answered, code => code is 415 or 404),
            "multi01" => new("400 (several Call-ID, CSeq, From, To)", Rfc4475Outcome.Answered, code => code == 400),
            "mcl01" => new("400 (two Content-Length values)", Rfc4475Outcome.Answered, code => code == 400),
            "zeromf" => new("483 (or 200 to an OPTIONS)", Rfc4475Outcome.Answered, code => code is 483 or 200),
            "inv2543" => new("a final response that is not 400/505", Rfc4475Outcome.Answered, AnyFinalButBadRequest),
            "trws" => new("400, a lenient final response, or nothing", Rfc4475Outcome.AnsweredOrDropped, _ => true),
            "mismatch02" => new("400/4xx, 501, or nothing", Rfc4475Outcome.AnsweredOrDropped, code => Rejection(code) || code == 501),
            _ when @class == "invalid" => new("a 4xx/505, or nothing", Rfc4475Outcome.AnsweredOrDropped, Rejection),
            _ => new("a final response that is not 400/505", Rfc4475Outcome.Answered, AnyFinalButBadRequest),
        };
    }

    private static string? CheckUnsupported(WireMessage response)
    {
        var listed = response.GetAll("Unsupported").SelectMany(v => v.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return listed.SetEquals(["nothingSupportsThis", "nothingSupportsThisEither"])
            ? null
            : $"Unsupported lists [{string.Join(", ", listed)}], not the two Require options (Proxy-Require is for proxies)";
    }
}
