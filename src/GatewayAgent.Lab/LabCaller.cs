using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Lab;

/// <summary>
/// The lab's "call" command: a caller from the public network. One call through the edge with our UAC
/// (<see cref="ProbeCaller"/>, on its own SIP stack on an ephemeral loopback port, with an SDP offer for an RTP port in
/// 31000-31999): INVITE, the final response, then
/// ACK and BYE when answered. Who answered is read from the 2xx's Contact (<see cref="Describe"/>).
/// </summary>
public sealed class LabCaller : IAsyncDisposable
{
    /// <summary>The number the lab's calls come from (From user).</summary>
    public const string CallerNumber = "0612340000";

    /// <summary>Longer than the edge's own wait for a site that does not answer (tm fr_timer, 5 s, then 408).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly SipTransportLayer _transport;
    private readonly SipTransactionLayer _layer;
    private readonly ProbeCaller _caller;
    private readonly SipTarget _edge;

    private LabCaller(int edgePort)
    {
        _transport = new SipTransportLayer(Options.Create(new SipTransportOptions()), TimeProvider.System, NullLogger<SipTransportLayer>.Instance);
        _layer = new SipTransactionLayer(_transport, new SipTimerOptions(), TimeProvider.System, NullLogger<SipTransactionLayer>.Instance);
        // An SDP offer on an RTP port of its own, as a phone sends: the IVR (SS-3) refuses an INVITE without one (488).
        var ports = new RtpPortAllocator(Options.Create(new RtpPortAllocatorOptions { MinPort = 31000, MaxPort = 31999, BindAddress = "127.0.0.1" }));
        _caller = new ProbeCaller(_layer, ports, TimeProvider.System, NullLogger<ProbeCaller>.Instance);
        _layer.User = _caller;
        _edge = new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, edgePort));
    }

    public static async Task<LabCaller> StartAsync(int edgePort, CancellationToken cancellationToken)
    {
        var caller = new LabCaller(edgePort);
        await caller._transport.StartAsync([new SipListenAddress(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))], caller._layer, cancellationToken)
            .ConfigureAwait(false);
        return caller;
    }

    /// <summary>Calls <paramref name="number"/> at the edge and returns the final status and the answering Contact.</summary>
    public Task<ProbeCallResult> CallAsync(string number, CancellationToken cancellationToken) =>
        CallAsync(number, CallerNumber, cancellationToken);

    /// <summary>The same from <paramref name="callerNumber"/> (the From user, which the lab's edge asserts as the calling line).</summary>
    public Task<ProbeCallResult> CallAsync(string number, string callerNumber, CancellationToken cancellationToken) =>
        _caller.CallAsync(new ProbeCallRequest
        {
            Target = _edge,
            RequestUri = SipUri.Parse($"sip:{number}@{_edge.EndPoint}"),
            CallerNumber = callerNumber,
            Timeout = Timeout,
        }, cancellationToken);

    /// <summary>
    /// The one line the command prints: "call NUMBER: answered by site N" (the Contact's port is site N's agent),
    /// "answered by destination DEST" (the destination phone's port; DEST is its Contact's user part),
    /// "answered by the IVR" (the controller's temporary-password IVR, <paramref name="ivrPort"/>),
    /// "busy (486)" or "rejected (CODE)" (408 when nothing answered in time).
    /// </summary>
    public static string Describe(string number, int finalStatus, string? contact, IEnumerable<LabSite> sites, int destinationPort, int? ivrPort = null)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var outcome = finalStatus switch
        {
            >= 200 and < 300 => AnsweredBy(contact, sites, destinationPort, ivrPort),
            486 => "busy (486)",
            _ => $"rejected ({finalStatus})",
        };
        return $"call {number}: {outcome}";
    }

    private static string AnsweredBy(string? contact, IEnumerable<LabSite> sites, int destinationPort, int? ivrPort)
    {
        if (contact is null || !NameAddress.TryParse(contact, out var address))
        {
            return $"answered by {contact ?? "a UA without a Contact"}";
        }

        var port = address.Uri.Port ?? SipListenAddress.DefaultPort;
        if (port == ivrPort)
        {
            return "answered by the IVR";
        }

        if (port == destinationPort)
        {
            return $"answered by destination {address.Uri.User}";
        }

        return sites.FirstOrDefault(s => s.SipPort == port) is { } site ? $"answered by site {site.Index}" : $"answered by {contact}";
    }

    public async ValueTask DisposeAsync() => await _transport.DisposeAsync().ConfigureAwait(false);
}
