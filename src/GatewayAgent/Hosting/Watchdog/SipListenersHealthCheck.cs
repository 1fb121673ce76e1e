using GatewayAgent.Answering;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Hosting.Watchdog;

/// <summary>Healthy while the SIP transport runs with every configured listener bound: the agent can hear probes (FN-3).</summary>
public sealed class SipListenersHealthCheck : IWatchdogHealthCheck
{
    private readonly SipTransportLayer _transport;
    private readonly int _configured;

    public SipListenersHealthCheck(SipTransportLayer transport, IOptions<AgentSipOptions> options)
    {
        _transport = transport;
        _configured = options.Value.ListenAddresses().Count();
    }

    public string Name => "sip-listeners";

    public ValueTask<string?> CheckAsync(CancellationToken cancellationToken)
    {
        if (!_transport.IsRunning)
        {
            return ValueTask.FromResult<string?>("the SIP transport is not running");
        }

        var bound = _transport.LocalEndPoints.Count;
        return ValueTask.FromResult(bound == _configured ? null : $"{bound} of {_configured} SIP listeners bound");
    }
}
