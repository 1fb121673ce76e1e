using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>One probe call answered: who called which number, and how long from INVITE to 200 OK.</summary>
public sealed record ProbeAnswered(string CallId, string Number, SipTarget Source, TimeSpan SetupTime, DateTimeOffset AnsweredAt);
