namespace GatewayAgent.Controller.Probing;

/// <summary>
/// FN-3: a probe "arrives normally" when the monitoring number rang or answered (180/183/2xx) or said busy (486/600:
/// the line is up and its channels are in use, FN-11). Everything else is a miss: timeout, transport error, 404, 408,
/// 480, other 4xx, 5xx, other 6xx.
/// </summary>
public static class ProbeClassifier
{
    public static ProbeClassification Classify(ProbeDialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ProvisionalStatus is 180 or 183)
        {
            // It rang; whatever ended the call afterwards (our CANCEL's 487, a late answer) the probe arrived.
            var how = result.FinalStatus is >= 200 and < 300 ? $", answered {result.FinalStatus}"
                : result.Failure == ProbeDialFailure.Timeout ? ", no answer within the timeout" : "";
            return new(ProbeOutcome.Reached, result.ProvisionalStatus, $"{result.ProvisionalStatus} {Reason(result.ProvisionalStatus.Value)}{how}");
        }

        switch (result.Failure)
        {
            case ProbeDialFailure.Timeout:
                return new(ProbeOutcome.Missed, null, "timeout");
            case ProbeDialFailure.TransportError:
                return new(ProbeOutcome.Missed, null, "transport error: " + (result.Error ?? "unknown"));
        }

        var status = result.FinalStatus ?? 0;
        var outcome = status switch
        {
            >= 200 and < 300 => ProbeOutcome.Reached,
            486 or 600 => ProbeOutcome.Reached, // busy: the line is up (DESIGN: SIP probe contract)
            _ => ProbeOutcome.Missed,
        };
        return new(outcome, status, $"{status} {Reason(status)}");
    }

    private static string Reason(int status) => status switch
    {
        180 => "Ringing",
        183 => "Session Progress",
        200 => "OK",
        404 => "Not Found",
        408 => "Request Timeout",
        480 => "Temporarily Unavailable",
        486 => "Busy Here (line up)",
        487 => "Request Terminated",
        500 => "Server Internal Error",
        503 => "Service Unavailable",
        600 => "Busy Everywhere (line up)",
        603 => "Decline",
        604 => "Does Not Exist Anywhere",
        >= 200 and < 300 => "answered",
        _ => "refused",
    };
}
