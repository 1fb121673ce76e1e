namespace GatewayAgent.Controller.Detection;

/// <summary>One detector transition: when, from which state to which, and why (power.lost, offline, no-answer, reached).</summary>
public sealed record DetectorEventEntry(long Id, DateTimeOffset At, string From, string To, string Cause);
