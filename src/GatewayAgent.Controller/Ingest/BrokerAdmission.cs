using GatewayAgent.Sip.Security;
using System.Net;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Per source address limits of the embedded broker (issue 12 item 8), on the injected clock: new connections per
/// minute (a token bucket), connections open at once, and failed authentications per window. A source over any of them
/// is closed at accept, before TLS or a byte of MQTT is read; one over the authentication limit is also refused at
/// CONNECT. IPv6 sources count per /64. The table is bounded (<see cref="BrokerLimitsOptions.MaxTrackedSources"/>): idle
/// entries are forgotten first; when it is still full, new sources are let through untracked rather than the table grow.
/// </summary>
internal sealed class BrokerAdmission(IOptions<BrokerLimitsOptions> options, TimeProvider time)
{
    private readonly BrokerLimitsOptions _options = options.Value;
    private readonly Dictionary<IPAddress, Source> _sources = [];
    private readonly Lock _gate = new();

    /// <summary>Takes a connection slot for <paramref name="remote"/>; false (and nothing taken) when it is over a limit.</summary>
    public bool TryOpen(EndPoint? remote, out string reason)
    {
        reason = "";
        if (Key(remote) is not { } key)
        {
            return true;
        }

        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (Find(key, now) is not { } source)
            {
                return true;
            }

            Refill(source, now);
            if (IsLockedOut(source, now))
            {
                reason = "too many failed authentications";
                return false;
            }

            if (source.Open >= _options.MaxConnectionsPerSource)
            {
                reason = $"{source.Open} connections open";
                return false;
            }

            if (source.Tokens < 1)
            {
                reason = "connecting too often";
                return false;
            }

            source.Tokens -= 1;
            source.Open++;
            source.LastSeen = now;
            return true;
        }
    }

    /// <summary>Gives back the slot <see cref="TryOpen"/> took.</summary>
    public void Closed(EndPoint? remote)
    {
        if (Key(remote) is not { } key)
        {
            return;
        }

        lock (_gate)
        {
            if (_sources.TryGetValue(key, out var source) && source.Open > 0)
            {
                source.Open--;
                source.LastSeen = time.GetTimestamp();
            }
        }
    }

    /// <summary>Whether CONNECTs from this source are refused for its failed authentications.</summary>
    public bool IsLockedOut(EndPoint? remote)
    {
        if (Key(remote) is not { } key)
        {
            return false;
        }

        lock (_gate)
        {
            return _sources.TryGetValue(key, out var source) && IsLockedOut(source, time.GetTimestamp());
        }
    }

    public void AuthenticationFailed(EndPoint? remote)
    {
        if (Key(remote) is not { } key)
        {
            return;
        }

        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (Find(key, now) is not { } source)
            {
                return;
            }

            if (source.FailureWindowStart is not { } start || time.GetElapsedTime(start, now) >= _options.FailedAuthWindow)
            {
                source.FailureWindowStart = now;
                source.Failures = 0;
            }

            source.Failures++;
            source.LastSeen = now;
        }
    }

    private bool IsLockedOut(Source source, long now) =>
        source.Failures >= _options.FailedAuthLimit && source.FailureWindowStart is { } start
        && time.GetElapsedTime(start, now) < _options.FailedAuthWindow;

    private void Refill(Source source, long now)
    {
        var perSecond = _options.ConnectionsPerMinute / 60.0;
        source.Tokens = Math.Min(_options.ConnectionBurst, source.Tokens + (time.GetElapsedTime(source.Refilled, now).TotalSeconds * perSecond));
        source.Refilled = now;
    }

    private Source? Find(IPAddress key, long now)
    {
        if (_sources.TryGetValue(key, out var source))
        {
            return source;
        }

        if (_sources.Count >= _options.MaxTrackedSources)
        {
            var idle = TimeSpan.FromTicks(Math.Max(_options.FailedAuthWindow.Ticks, TimeSpan.FromMinutes(1).Ticks));
            foreach (var (address, old) in _sources)
            {
                if (old.Open == 0 && time.GetElapsedTime(old.LastSeen, now) > idle)
                {
                    _sources.Remove(address);
                }
            }

            if (_sources.Count >= _options.MaxTrackedSources)
            {
                return null;
            }
        }

        source = new Source { Tokens = _options.ConnectionBurst, Refilled = now, LastSeen = now };
        _sources[key] = source;
        return source;
    }

    private static IPAddress? Key(EndPoint? remote) => remote is IPEndPoint { Address: var address } ? SourceKey.Of(address) : null;

    private sealed class Source
    {
        public double Tokens { get; set; }

        public long Refilled { get; set; }

        public long LastSeen { get; set; }

        public int Open { get; set; }

        public int Failures { get; set; }

        public long? FailureWindowStart { get; set; }
    }
}
