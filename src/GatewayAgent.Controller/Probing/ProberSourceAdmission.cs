using System.Collections.Concurrent;
using System.Net;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Controller.Probing;

/// <summary>
/// The prober's socket is a listener too (issue 12 item 11): the agent's <see cref="SourceGuard"/> rate-limits every
/// source before parsing and refuses requests from outside Controller:Probing:AllowedSources. Two kinds of peer are
/// exempt from the rate limit, because one of them carries every probe's answers: the outbound proxies the prober
/// itself dialled through within <see cref="PeerMemory"/> (the carrier edge, chosen by the operator), and the
/// AllowedSources networks when a list is configured. A stranger, or a site's own address, stays within its bucket.
/// </summary>
internal sealed class ProberSourceAdmission(SourceGuard guard, SourceGuardOptions options, TimeProvider time) : ISipSourceAdmission
{
    /// <summary>How long after its last probe an outbound proxy stays exempt.</summary>
    public static readonly TimeSpan PeerMemory = TimeSpan.FromMinutes(5);

    private readonly IPNetwork[] _trusted = [.. options.AllowedSources.Select(SourceGuard.ParseNetwork)];
    private readonly ConcurrentDictionary<IPAddress, long> _proxies = new();

    /// <summary>Called for each probe sent through an outbound proxy.</summary>
    public void DialledThrough(IPAddress proxy) => _proxies[Normalize(proxy)] = time.GetTimestamp();

    public bool TryAdmit(IPAddress source) => IsTrusted(Normalize(source)) || guard.TryAdmit(source);

    public bool AcceptsConnectionFrom(IPAddress source) => guard.AcceptsConnectionFrom(source);

    private bool IsTrusted(IPAddress source)
    {
        if (_proxies.TryGetValue(source, out var last) && time.GetElapsedTime(last) < PeerMemory)
        {
            return true;
        }

        foreach (var network in _trusted)
        {
            if (network.Contains(source))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
