using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// The local address the OS would send from to reach a remote address: a throw-away UDP socket is connected (which
/// sends nothing) and its local endpoint read. Answers are cached per remote address for a while, so a changed route
/// (DHCP renewal, interface going down) is picked up.
/// </summary>
internal sealed class LocalAddressResolver
{
    private const int MaxCacheEntries = 1024;

    private readonly ConcurrentDictionary<IPAddress, Entry> _cache = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public LocalAddressResolver(TimeProvider timeProvider, ILogger logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>How long a looked-up route is reused.</summary>
    public static TimeSpan CacheLifetime { get; } = TimeSpan.FromMinutes(1);

    /// <summary>The local source address towards <paramref name="remote"/>, or null when the OS has no route to it.</summary>
    public IPAddress? Resolve(IPAddress remote)
    {
        remote = SipEndPoints.Normalize(remote);
        if (_cache.TryGetValue(remote, out var entry) && _timeProvider.GetElapsedTime(entry.Timestamp) < CacheLifetime)
        {
            return entry.Local;
        }

        IPAddress local;
        try
        {
            using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(remote, ResponseRouting.DefaultPort));
            local = SipEndPoints.Normalize(((IPEndPoint)probe.LocalEndPoint!).Address);
        }
        catch (SocketException ex)
        {
            TransportLog.NoRoute(_logger, remote, ex.SocketErrorCode);
            return null;
        }

        if (_cache.Count >= MaxCacheEntries)
        {
            // Requests from many (possibly spoofed) sources must not grow the cache without bound.
            _cache.Clear();
        }

        _cache[remote] = new Entry(local, _timeProvider.GetTimestamp());
        return local;
    }

    private readonly record struct Entry(IPAddress Local, long Timestamp);
}
