namespace GatewayAgent.Sip.UserAgents;

/// <summary>Where a probe call is on the answering side.</summary>
internal enum ProbeCallState
{
    Ringing,
    Answered,
    Confirmed,
    Ended,
}
