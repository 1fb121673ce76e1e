using System.Net.Sockets;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// Every configured SIP listen address (Agent:Sip:Listen, default udp and tcp on 0.0.0.0:5060) can be bound, or is
/// held by the running agent. Anything else holding it would make the agent fail to start.
/// </summary>
public sealed class SipPortCheck : IDoctorCheck
{
    public const string Name = "sip-port";

    public Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var configured = configuration.GetSection("Agent:Sip:Listen").GetChildren().Select(c => c.Value ?? "").ToList();
        if (configured.Count == 0)
        {
            configured = ["udp:0.0.0.0:5060", "tcp:0.0.0.0:5060"];
        }

        var results = new List<DoctorCheckResult>();
        for (var i = 0; i < configured.Count; i++)
        {
            if (!SipListenAddress.TryParse(configured[i], out var address, out var error))
            {
                results.Add(DoctorCheckResult.Fail(Name, $"Agent:Sip:Listen:{i} '{configured[i]}': {error}"));
                continue;
            }

            results.Add(Check(address));
        }

        return Task.FromResult<IReadOnlyList<DoctorCheckResult>>(results);
    }

    private static DoctorCheckResult Check(SipListenAddress address)
    {
        var udp = address.Transport == SipTransportKind.Udp;
        var endPoint = address.EndPoint;
        try
        {
            using var socket = new Socket(endPoint.AddressFamily, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
            socket.Bind(endPoint);
            return DoctorCheckResult.Pass(Name, $"{address}: free (the agent can bind it)");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            var owner = SocketOwners.Find(udp, endPoint.Port);
            if (owner is { } holder && holder.CommandLine.Contains("gateway-agent", StringComparison.Ordinal))
            {
                return DoctorCheckResult.Pass(Name, $"{address}: held by the running agent (pid {holder.Pid})");
            }

            return DoctorCheckResult.Fail(Name, owner is { } other
                ? $"{address}: in use by pid {other.Pid} ({other.CommandLine})"
                : $"{address}: in use by another process (run doctor as root to see which)");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied && endPoint.Port < 1024)
        {
            return DoctorCheckResult.Warn(Name, $"{address}: port {endPoint.Port} needs CAP_NET_BIND_SERVICE (the unit grants it); run doctor as root to check it");
        }
        catch (SocketException ex)
        {
            return DoctorCheckResult.Fail(Name, $"{address}: cannot bind: {ex.Message}");
        }
    }
}
