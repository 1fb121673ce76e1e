using System.Net;
using GatewayAgent.Contracts;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using GatewayAgent.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Telemetry;

/// <summary>
/// The self-test: the agent places a probe INVITE to itself through its own SIP leg (its own transaction layer and
/// first UDP listener, toward its first monitoring number), so the answer proves the listener, the answerer and the
/// media offer work — the same path a controller probe takes, minus the access line.
/// </summary>
public sealed class SipSelfTest : ISelfTest
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly SipTransactionLayer _transactions;
    private readonly SipTransportLayer _transport;
    private readonly ProbeAnswererOptions _answering;
    private readonly TimeProvider _time;
    private readonly ILogger<ProbeCaller> _logger;

    public SipSelfTest(SipTransactionLayer transactions, SipTransportLayer transport, IOptions<ProbeAnswererOptions> answering, TimeProvider time,
        ILogger<ProbeCaller> logger)
    {
        _transactions = transactions;
        _transport = transport;
        _answering = answering.Value;
        _time = time;
        _logger = logger;
    }

    public async Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var listener = _transport.LocalEndPoints.FirstOrDefault(l => l.Transport == SipTransportKind.Udp);
        if (listener is null)
        {
            return new SelfTestResult { Reached = false, Error = "no UDP listener" };
        }

        var number = _answering.MonitorNumbers.FirstOrDefault();
        if (number is null)
        {
            return new SelfTestResult { Reached = false, Error = "no monitoring number configured" };
        }

        var target = new IPEndPoint(LoopbackFor(listener.EndPoint.Address), listener.EndPoint.Port);
        var caller = new ProbeCaller(_transactions, null, _time, _logger);
        try
        {
            var result = await caller.CallAsync(new ProbeCallRequest
            {
                Target = new SipTarget(SipTransportKind.Udp, target),
                RequestUri = SipUri.Parse($"sip:{number}@{HostPort(target)}"),
                CallerNumber = "self-test",
                Timeout = ProbeTimeout,
            }, cancellationToken).ConfigureAwait(false);
            return new SelfTestResult
            {
                Reached = result.Rang,
                FinalStatus = result.FinalStatus,
                ProvisionalStatus = result.ProvisionalStatus,
                SetupMilliseconds = Math.Round(result.SetupTime.TotalMilliseconds, 1),
                Error = result.Error,
            };
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException)
        {
            return new SelfTestResult { Reached = false, Error = ex.Message };
        }
    }

    private static string HostPort(IPEndPoint endPoint) =>
        endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : endPoint.ToString();

    /// <summary>A wildcard listener is reached on loopback of its family.</summary>
    private static IPAddress LoopbackFor(IPAddress address) =>
        address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
}
