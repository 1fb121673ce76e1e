namespace GatewayAgent.Controller.Probing;

/// <summary>One contract the scheduler probes: its monitoring number (FN-2) at the site's agent.</summary>
/// <param name="ContractId">Store id of the contract.</param>
/// <param name="Target">SIP URI of the site's agent, e.g. sip:0312345678@192.0.2.10:5060 (user part = monitoring number).</param>
/// <param name="OutboundProxy">Optional next hop (udp:host:port) the INVITE goes through instead of the URI's host.</param>
/// <param name="Interval">Per-contract probe interval; null = Controller:Probing:Interval.</param>
/// <param name="SiteId">The agent's MQTT site id, when one is linked (telemetry explains and accelerates probing).</param>
public sealed record ProbeTarget(long ContractId, string Target, string MonitoringNumber, string? OutboundProxy, TimeSpan? Interval, string? SiteId);
