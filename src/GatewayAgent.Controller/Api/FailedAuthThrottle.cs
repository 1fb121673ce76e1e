using GatewayAgent.Sip.Security;
using System.Net;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Api;

/// <summary>
/// Throttles failed API authentication per source (issue 12 item 7): after <see cref="ApiOptions.FailedAuthLimit"/>
/// failures within <see cref="ApiOptions.FailedAuthWindow"/> a source is refused with 429, valid key or not, until its
/// window ends, so a key cannot be guessed at network speed. IPv6 sources count per /64 (one host holds a whole /64).
/// The table is bounded: when full, expired windows are forgotten; if it is still full, new sources are not tracked
/// (the ones already over the limit stay refused).
/// </summary>
public sealed class FailedAuthThrottle(IOptions<ApiOptions> options, TimeProvider time)
{
    private readonly ApiOptions _options = options.Value;
    private readonly Dictionary<IPAddress, Window> _windows = [];
    private readonly Lock _gate = new();

    /// <summary>How long until the source may try again, or null when it is not throttled.</summary>
    public TimeSpan? RetryAfter(IPAddress? source)
    {
        if (source is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _windows.TryGetValue(Key(source), out var window) && window.Failures >= _options.FailedAuthLimit && now < window.Start + _options.FailedAuthWindow
                ? window.Start + _options.FailedAuthWindow - now
                : null;
        }
    }

    public void RecordFailure(IPAddress? source)
    {
        if (source is null)
        {
            return;
        }

        var key = Key(source);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_windows.TryGetValue(key, out var window) && now < window.Start + _options.FailedAuthWindow)
            {
                window.Failures++;
                return;
            }

            if (window is null && _windows.Count >= _options.FailedAuthMaxTrackedSources)
            {
                foreach (var (address, old) in _windows)
                {
                    if (now >= old.Start + _options.FailedAuthWindow)
                    {
                        _windows.Remove(address);
                    }
                }

                if (_windows.Count >= _options.FailedAuthMaxTrackedSources)
                {
                    return;
                }
            }

            _windows[key] = new Window { Start = now, Failures = 1 };
        }
    }

    private static IPAddress Key(IPAddress source) => SourceKey.Of(source);

    private sealed class Window
    {
        public DateTimeOffset Start { get; init; }

        public int Failures { get; set; }
    }
}
