using System.Diagnostics;
using System.Text.Json;
using GatewayAgent.Board;
using GatewayAgent.Contracts;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using GatewayAgent.Status;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.LocalControl;

/// <summary>"status": LEDs, inputs, power, battery, WAN, SIP, cloud, spool, board, version, uptime.</summary>
public sealed class StatusVerb(AgentStatus status, WanGate gate, AgentBoard board, AgentStartTime started, IServiceProvider services) : ILocalControlVerb
{
    public string Verb => "status";

    public Task<LocalControlReply> HandleAsync(LocalControlRequest request, CancellationToken cancellationToken)
    {
        var report = Report();
        return Task.FromResult(new LocalControlReply
        {
            Ok = true,
            Data = JsonSerializer.SerializeToElement(report, LocalControlJsonContext.Default.LocalStatusReport),
        });
    }

    public LocalStatusReport Report() => new()
    {
        Version = AgentVersion.Current,
        Board = status.Board,
        Simulated = board.IsSimulated,
        UptimeSeconds = Math.Round(Stopwatch.GetElapsedTime(started.Timestamp).TotalSeconds, 1),
        Power = status.Power.ToString().ToLowerInvariant(),
        Battery = status.Battery,
        BatteryLow = status.BatteryLow,
        Wan = status.Wan.ToString().ToLowerInvariant(),
        SipGateOpen = gate.IsOpen,
        Sip = new SipSnapshot
        {
            Registration = status.Registration,
            ActiveCalls = services.GetService<ProbeAnswerer>()?.ActiveCalls ?? 0,
            LastProbeAnswered = status.LastProbeAnswered,
        },
        SipListening = services.GetService<SipTransportLayer>()?.LocalEndPoints.Select(e => e.ToString()).ToList() ?? [],
        Cloud = status.Cloud.ToString().ToLowerInvariant(),
        SpoolDepth = status.SpoolDepth,
        Leds = status.Leds,
        Inputs = status.Inputs,
    };
}
