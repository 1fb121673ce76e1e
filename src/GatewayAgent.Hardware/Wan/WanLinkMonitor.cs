namespace GatewayAgent.Hardware.Wan;

/// <summary>
/// Polls the WAN interface's link state from sysfs (<c>{root}/{interface}/operstate</c> and <c>carrier</c>; the root
/// is /sys/class/net on a real system and a plain directory in tests) every poll interval of the injected
/// <see cref="TimeProvider"/>, and raises <see cref="Changed"/> when it goes up or down. The link is up when the
/// interface has carrier and its operstate is "up" (or "unknown", which some drivers report for a working link).
/// </summary>
public sealed class WanLinkMonitor : IDisposable
{
    public const string SysfsRoot = "/sys/class/net";

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private WanLinkReading? _last;

    public WanLinkMonitor(string interfaceName, TimeSpan pollInterval, TimeProvider time, string root = SysfsRoot)
    {
        Interface = interfaceName;
        _root = root;
        _time = time;
        _timer = time.CreateTimer(_ => Poll(), null, Timeout.InfiniteTimeSpan, pollInterval);
        PollInterval = pollInterval;
    }

    /// <summary>Raised when the link changes between up and down (not for the first reading).</summary>
    public event Action<WanLinkReading>? Changed;

    public string Interface { get; }

    public TimeSpan PollInterval { get; }

    public WanLinkReading? Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Takes the first reading at once and polls from then on.</summary>
    public WanLinkReading Start()
    {
        var first = Poll();
        _timer.Change(PollInterval, PollInterval);
        return first;
    }

    public WanLinkReading Read()
    {
        var directory = Path.Combine(_root, Interface);
        var now = _time.GetUtcNow();
        if (!Directory.Exists(directory))
        {
            return new WanLinkReading(Interface, false, "missing", false, now);
        }

        var operState = ReadValue(Path.Combine(directory, "operstate")) ?? "unknown";
        // Reading carrier of an interface that is administratively down fails with EINVAL: no carrier.
        var carrier = ReadValue(Path.Combine(directory, "carrier")) == "1";
        var up = carrier && operState is "up" or "unknown";
        return new WanLinkReading(Interface, up, operState, carrier, now);
    }

    public WanLinkReading Poll()
    {
        var reading = Read();
        bool changed;
        lock (_gate)
        {
            changed = _last is not null && _last.Up != reading.Up;
            _last = reading;
        }

        if (changed)
        {
            Changed?.Invoke(reading);
        }

        return reading;
    }

    private static string? ReadValue(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _timer.Dispose();
}
