namespace GatewayAgent.Telemetry;

/// <summary>cursor.json: every seq up to <see cref="AckedThrough"/> was delivered (or dropped by a bound), plus those in <see cref="AckedAhead"/>.</summary>
public sealed record SpoolCursor(long AckedThrough, IReadOnlyList<long>? AckedAhead);
