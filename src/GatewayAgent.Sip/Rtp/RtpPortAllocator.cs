using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Rtp;

/// <summary>
/// Hands out even UDP ports from a configured range (RFC 3550 §11: RTP on even, RTCP on the next odd port), each with
/// its socket bound and drained. Thread-safe. Ports are taken round-robin so a port just released is not reused at
/// once; a port some other process holds is skipped.
/// </summary>
public sealed class RtpPortAllocator
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _inUse = [];
    private readonly IPAddress _bindAddress;
    private readonly int _firstPort;
    private readonly int _lastPort;
    private int _nextPort;

    /// <summary>Creates an allocator for the configured range.</summary>
    public RtpPortAllocator(IOptions<RtpPortAllocatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        if (new RtpPortAllocatorOptionsValidator().Validate(Options.DefaultName, value) is { Failed: true } invalid)
        {
            throw new ArgumentException($"Invalid RTP port options: {string.Join(" ", invalid.Failures)}", nameof(options));
        }

        _bindAddress = IPAddress.Parse(value.BindAddress);
        if (_bindAddress.Equals(IPAddress.IPv6Any) && !Socket.OSSupportsIPv6)
        {
            _bindAddress = IPAddress.Any;
        }
        _firstPort = value.MinPort + (value.MinPort % 2);
        _lastPort = value.MaxPort - (value.MaxPort % 2);
        _nextPort = _firstPort;
    }

    /// <summary>How many even ports the range holds.</summary>
    public int Capacity => ((_lastPort - _firstPort) / 2) + 1;

    /// <summary>How many ports are leased now.</summary>
    public int InUseCount
    {
        get
        {
            lock (_gate)
            {
                return _inUse.Count;
            }
        }
    }

    /// <summary>
    /// Leases the next free even port with its socket bound; false when every port in the range is leased or held
    /// by another process. Dispose the lease to close the socket and free the port.
    /// </summary>
    public bool TryAllocate([NotNullWhen(true)] out RtpPortLease? lease)
    {
        lock (_gate)
        {
            for (var tried = 0; tried < Capacity; tried++)
            {
                var port = _nextPort;
                _nextPort = port + 2 > _lastPort ? _firstPort : port + 2;
                if (_inUse.Contains(port) || !TryBind(port, out var socket))
                {
                    continue;
                }

                _inUse.Add(port);
                lease = new RtpPortLease(this, socket, port);
                return true;
            }
        }

        lease = null;
        return false;
    }

    internal void Release(int port)
    {
        lock (_gate)
        {
            _inUse.Remove(port);
        }
    }

    private bool TryBind(int port, [NotNullWhen(true)] out Socket? socket)
    {
        socket = new Socket(_bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (_bindAddress.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(_bindAddress, port));
            return true;
        }
        catch (SocketException)
        {
            socket.Dispose();
            socket = null;
            return false;
        }
    }
}
