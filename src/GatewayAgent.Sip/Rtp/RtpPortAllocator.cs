using System.ComponentModel.DataAnnotations;
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
    private readonly Lock gate = new();
    private readonly HashSet<int> inUse = [];
    private readonly IPAddress bindAddress;
    private readonly int firstPort;
    private readonly int lastPort;
    private int nextPort;

    /// <summary>Creates an allocator for the configured range.</summary>
    public RtpPortAllocator(IOptions<RtpPortAllocatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), errors, validateAllProperties: true))
        {
            throw new ArgumentException(
                $"Invalid RTP port options: {string.Join(" ", errors.Select(e => e.ErrorMessage))}", nameof(options));
        }

        bindAddress = IPAddress.Parse(value.BindAddress);
        if (bindAddress.Equals(IPAddress.IPv6Any) && !Socket.OSSupportsIPv6)
        {
            bindAddress = IPAddress.Any;
        }
        firstPort = value.MinPort + (value.MinPort % 2);
        lastPort = value.MaxPort - (value.MaxPort % 2);
        nextPort = firstPort;
    }

    /// <summary>How many even ports the range holds.</summary>
    public int Capacity => ((lastPort - firstPort) / 2) + 1;

    /// <summary>How many ports are leased now.</summary>
    public int InUseCount
    {
        get
        {
            lock (gate)
            {
                return inUse.Count;
            }
        }
    }

    /// <summary>
    /// Leases the next free even port with its socket bound; false when every port in the range is leased or held
    /// by another process. Dispose the lease to close the socket and free the port.
    /// </summary>
    public bool TryAllocate([NotNullWhen(true)] out RtpPortLease? lease)
    {
        lock (gate)
        {
            for (var tried = 0; tried < Capacity; tried++)
            {
                var port = nextPort;
                nextPort = port + 2 > lastPort ? firstPort : port + 2;
                if (inUse.Contains(port) || !TryBind(port, out var socket))
                {
                    continue;
                }

                inUse.Add(port);
                lease = new RtpPortLease(this, socket, port);
                return true;
            }
        }

        lease = null;
        return false;
    }

    internal void Release(int port)
    {
        lock (gate)
        {
            inUse.Remove(port);
        }
    }

    private bool TryBind(int port, [NotNullWhen(true)] out Socket? socket)
    {
        socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (bindAddress.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(bindAddress, port));
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
