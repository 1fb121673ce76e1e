using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Lab;

/// <summary>
/// A UDP relay between the controller nodes' probers and one next hop (the edge, or the canary site), for --nodes: the
/// contracts' outbound proxy and the nodes' canary proxy point at it. Each sender (a node's prober socket) gets its own
/// socket towards the next hop, so replies find their way back (a NAT, as a carrier network would have). A node can be
/// cut off (<see cref="Cut"/>): the relay then drops every datagram from and to that node's prober port, as a broken
/// route between that node and the sites would, while the node still reaches the database and the broker.
/// </summary>
public sealed class ProbeRelay : IAsyncDisposable
{
    private readonly Socket _front;
    private readonly IPEndPoint _next;
    private readonly ConcurrentDictionary<IPEndPoint, Socket> _sessions = new();
    private readonly ConcurrentDictionary<int, bool> _cut = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private ProbeRelay(Socket front, IPEndPoint next)
    {
        _front = front;
        _next = next;
    }

    /// <summary>The relay's port on 127.0.0.1 (what the probes are sent to).</summary>
    public int Port => ((IPEndPoint)_front.LocalEndPoint!).Port;

    /// <summary>Datagrams dropped because their node was cut off.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <summary>Relays from a free port on 127.0.0.1 to <paramref name="nextPort"/> on 127.0.0.1.</summary>
    public static ProbeRelay Start(int nextPort)
    {
        var front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var relay = new ProbeRelay(front, new IPEndPoint(IPAddress.Loopback, nextPort));
        relay._loops.Add(Task.Run(relay.FrontLoopAsync));
        return relay;
    }

    /// <summary>Drops (true) or passes (false) everything from and to a prober on <paramref name="senderPort"/>.</summary>
    public void Cut(int senderPort, bool cut)
    {
        if (cut)
        {
            _cut[senderPort] = true;
        }
        else
        {
            _cut.TryRemove(senderPort, out _);
        }
    }

    private async Task FrontLoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _front.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP port unreachable of an earlier send
            }

            var sender = (IPEndPoint)received.RemoteEndPoint;
            if (_cut.ContainsKey(sender.Port))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            var session = _sessions.GetOrAdd(sender, Open);
            try
            {
                await session.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, _next, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private Socket Open(IPEndPoint sender)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        lock (_loops)
        {
            _loops.Add(Task.Run(() => BackLoopAsync(socket, sender)));
        }

        return socket;
    }

    private async Task BackLoopAsync(Socket session, IPEndPoint sender)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await session.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (_cut.ContainsKey(sender.Port))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            try
            {
                await _front.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, sender, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _front.Dispose();
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        Task[] loops;
        lock (_loops)
        {
            loops = [.. _loops];
        }

        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }
}
