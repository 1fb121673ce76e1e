using GatewayAgent.Controller.Probing;
using GatewayAgent.Sip.UserAgents;

namespace GatewayAgent.Controller.Tests.Probing;

/// <summary>FN-3 and the DESIGN's SIP probe contract: which answers mean the probe arrived.</summary>
[Trait("Ring", "unit")]
public sealed class ProbeClassifierTests
{
    [Theory]
    [InlineData(null, 200, ProbeOutcome.Reached)]
    [InlineData(180, 200, ProbeOutcome.Reached)]
    [InlineData(180, 487, ProbeOutcome.Reached)] // rang, then our CANCEL ended it
    [InlineData(183, 487, ProbeOutcome.Reached)]
    [InlineData(null, 202, ProbeOutcome.Reached)]
    [InlineData(null, 486, ProbeOutcome.Reached)] // busy: the line is up (FN-11)
    [InlineData(null, 600, ProbeOutcome.Reached)]
    [InlineData(null, 404, ProbeOutcome.Missed)]
    [InlineData(null, 408, ProbeOutcome.Missed)]
    [InlineData(null, 480, ProbeOutcome.Missed)]
    [InlineData(null, 487, ProbeOutcome.Missed)]
    [InlineData(null, 500, ProbeOutcome.Missed)]
    [InlineData(null, 503, ProbeOutcome.Missed)]
    [InlineData(null, 603, ProbeOutcome.Missed)]
    [InlineData(null, 604, ProbeOutcome.Missed)]
    [InlineData(null, 302, ProbeOutcome.Missed)]
    public void FinalResponses_AreClassified(int? provisional, int final, ProbeOutcome expected)
    {
        var result = ProbeClassifier.Classify(ProbeDialResult.Response(final, TimeSpan.FromMilliseconds(30), provisional));

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(provisional ?? final, result.Status);
        Assert.StartsWith((provisional ?? final).ToString(System.Globalization.CultureInfo.InvariantCulture), result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeout_IsMissed()
    {
        var result = ProbeClassifier.Classify(ProbeDialResult.TimedOut());

        Assert.Equal(new ProbeClassification(ProbeOutcome.Missed, null, "timeout"), result);
    }

    [Fact]
    public void Timeout_AfterRinging_IsReached()
    {
        var result = ProbeClassifier.Classify(ProbeDialResult.TimedOut(180, TimeSpan.FromMilliseconds(300)));

        Assert.Equal(ProbeOutcome.Reached, result.Outcome);
        Assert.Equal(180, result.Status);
    }

    [Fact]
    public void TransportError_IsMissed_WithTheReason()
    {
        var result = ProbeClassifier.Classify(ProbeDialResult.TransportError("Connection refused"));

        Assert.Equal(new ProbeClassification(ProbeOutcome.Missed, null, "transport error: Connection refused"), result);
    }

    [Theory]
    [InlineData(408, "no final response within the probe timeout", ProbeDialFailure.Timeout, null)]
    [InlineData(408, "Timer B", ProbeDialFailure.Timeout, null)]
    [InlineData(503, "Connection refused", ProbeDialFailure.TransportError, null)]
    [InlineData(408, null, ProbeDialFailure.None, 408)] // a real 408 response
    [InlineData(503, null, ProbeDialFailure.None, 503)] // a real 503 response
    [InlineData(486, null, ProbeDialFailure.None, 486)]
    public void ProbeCallerResults_MapToDialResults(int final, string? error, ProbeDialFailure failure, int? status)
    {
        var mapped = SipProbeDialer.Map(new ProbeCallResult("x@y", null, final, TimeSpan.FromMilliseconds(5), error));

        Assert.Equal(failure, mapped.Failure);
        Assert.Equal(status, mapped.FinalStatus);
        Assert.Equal(status is 486 ? ProbeOutcome.Reached : ProbeOutcome.Missed, ProbeClassifier.Classify(mapped).Outcome);
    }

    [Theory]
    [InlineData("sip:0312345678@192.0.2.10:5070", null, "udp:192.0.2.10:5070", null)]
    [InlineData("sip:0312345678@192.0.2.10", null, "udp:192.0.2.10:5060", null)]
    [InlineData("sip:0312345678@192.0.2.10:5070;transport=tcp", null, "tcp:192.0.2.10:5070", null)]
    [InlineData("sip:0312345678@[2001:db8::1]:5070", null, "udp:[2001:db8::1]:5070", null)]
    [InlineData("sip:0312345678@site.example", "udp:192.0.2.1:5060", "udp:192.0.2.1:5060", "<sip:192.0.2.1:5060;lr>")]
    public void Targets_AreDialledAtTheirHost_OrThroughTheOutboundProxy(string uri, string? proxy, string nextHop, string? route)
    {
        var target = new ProbeTarget(1, uri, "0312345678", proxy, null, null);

        Assert.True(SipProbeDialer.TryCreateRequest(target, new ProbingOptions(), TimeSpan.FromSeconds(3), out var request, out var error), error);

        Assert.Equal(nextHop, request.Target.ToString());
        Assert.Equal(route, request.Route);
        Assert.Equal(uri, request.RequestUri.ToString());
        Assert.Equal(TimeSpan.FromSeconds(3), request.Timeout);
    }

    [Theory]
    [InlineData("sip:0312345678@site.example")] // no DNS without a proxy
    [InlineData("http://x")]
    [InlineData("sip:192.0.2.1")] // no number
    public void UnusableTargets_AreTransportErrors(string uri)
    {
        var target = new ProbeTarget(1, uri, "", null, null, null);

        Assert.False(SipProbeDialer.TryCreateRequest(target, new ProbingOptions(), TimeSpan.FromSeconds(3), out _, out var error));
        Assert.NotEmpty(error);
    }
}
