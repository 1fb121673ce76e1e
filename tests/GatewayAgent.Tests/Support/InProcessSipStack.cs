using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Tests.Support;

/// <summary>Our SIP stack in the test process, on a loopback port: a prober (UAC) to call the real agent with.</summary>
public sealed class InProcessSipStack : IAsyncDisposable
{
    private InProcessSipStack(SipTransportLayer transport, SipTransactionLayer transactions, ProbeCaller caller)
    {
        Transport = transport;
        Transactions = transactions;
        Caller = caller;
    }

    public SipTransportLayer Transport { get; }

    public SipTransactionLayer Transactions { get; }

    public ProbeCaller Caller { get; }

    public static async Task<InProcessSipStack> StartAsync()
    {
        var transport = new SipTransportLayer(Options.Create(new SipTransportOptions()), TimeProvider.System, NullLogger<SipTransportLayer>.Instance);
        var transactions = new SipTransactionLayer(transport, new SipTimerOptions(), TimeProvider.System, NullLogger<SipTransactionLayer>.Instance);
        var ports = new RtpPortAllocator(Options.Create(new RtpPortAllocatorOptions { MinPort = 42000, MaxPort = 42999 }));
        var caller = new ProbeCaller(transactions, ports, TimeProvider.System, NullLogger<ProbeCaller>.Instance);
        transactions.User = caller;
        var port = FreePort.Next();
        var v6Port = FreePort.Next(IPAddress.IPv6Loopback);
        await transport.StartAsync(
            [
                new SipListenAddress(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, port)),
                new SipListenAddress(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, port)),
                new SipListenAddress(SipTransportKind.Udp, new IPEndPoint(IPAddress.IPv6Loopback, v6Port)),
                new SipListenAddress(SipTransportKind.Tcp, new IPEndPoint(IPAddress.IPv6Loopback, v6Port)),
            ],
            transactions,
            CancellationToken.None);
        return new InProcessSipStack(transport, transactions, caller);
    }

    public Task<ProbeCallResult> CallAsync(AgentProcess agent, string number = AgentProcess.MonitorNumber, SipTransportKind kind = SipTransportKind.Udp,
        bool cancelOnRinging = false, TimeSpan? timeout = null) =>
        Caller.CallAsync(new ProbeCallRequest
        {
            Target = new SipTarget(kind, agent.EndPoint),
            RequestUri = SipUri.Parse($"sip:{number}@127.0.0.1:{agent.Port}{(kind == SipTransportKind.Tcp ? ";transport=tcp" : "")}"),
            CallerNumber = "0120000000",
            CancelOnRinging = cancelOnRinging,
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
        });

    public async ValueTask DisposeAsync() => await Transport.DisposeAsync();
}
