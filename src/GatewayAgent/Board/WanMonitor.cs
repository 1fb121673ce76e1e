using GatewayAgent.Contracts;
using GatewayAgent.Hardware.Wan;
using GatewayAgent.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Board;

/// <summary>
/// The WAN link from the kernel (carrier and operstate of Agent:Board:WanInterface, by default the interface of the
/// default route): sets <see cref="AgentStatus.Wan"/> and raises wan.down / wan.up. Not used on the simulated board,
/// where "sim set wan=" decides (<see cref="SimulatedSite"/>).
/// </summary>
public sealed class WanMonitor : IDisposable
{
    public const string RouteTable = "/proc/net/route";

    private readonly AgentStatus _status;
    private readonly AgentEventHub _events;
    private readonly TimeProvider _time;
    private readonly BoardOptions _options;
    private readonly ILogger _logger;
    private WanLinkMonitor? _monitor;

    public WanMonitor(AgentStatus status, AgentEventHub events, TimeProvider time, IOptions<BoardOptions> options, ILogger<WanMonitor> logger)
    {
        _status = status;
        _events = events;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public void Start(string sysfsRoot = WanLinkMonitor.SysfsRoot)
    {
        var name = string.IsNullOrWhiteSpace(_options.WanInterface) ? DefaultRouteInterface(RouteTable) ?? "eth0" : _options.WanInterface;
        _monitor = new WanLinkMonitor(name, _options.WanPollInterval, _time, sysfsRoot);
        _monitor.Changed += OnChanged;
        var first = _monitor.Start();
        _status.Wan = first.Up ? LinkState.Up : LinkState.Down;
        BoardLog.WanWatching(_logger, name, _options.WanPollInterval, first.Up ? "up" : $"down (operstate={first.OperState})");
    }

    private void OnChanged(WanLinkReading reading)
    {
        _status.Wan = reading.Up ? LinkState.Up : LinkState.Down;
        if (reading.Up)
        {
            _events.Raise(EventTypes.WanUp, reading.Interface, at: reading.At);
            BoardLog.WanUp(_logger, reading.Interface);
        }
        else
        {
            _events.Raise(EventTypes.WanDown, reading.Interface, at: reading.At);
            BoardLog.WanDown(_logger, reading.Interface, reading.OperState, reading.Carrier);
        }
    }

    /// <summary>The interface of the IPv4 default route (destination 00000000) in a /proc/net/route table, if any.</summary>
    public static string? DefaultRouteInterface(string routeTable)
    {
        try
        {
            foreach (var line in File.ReadLines(routeTable).Skip(1))
            {
                var fields = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 2 && fields[1] == "00000000")
                {
                    return fields[0];
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    public void Dispose() => _monitor?.Dispose();
}
