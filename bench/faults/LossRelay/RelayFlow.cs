using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LossRelay;

/// <summary>
/// One site's flow: a front socket the prober sends to (the site's address as the prober sees it) and a back socket
/// that talks to the real UAS. Each datagram, either way, is dropped with probability Loss (or always while the site is
/// cut) and otherwise delayed uniformly in [0, Jitter]. The UAS's own address in its Contact (and Record-Route) is
/// rewritten to the front address, so ACK and BYE come back through the relay too.
/// </summary>
internal sealed class RelayFlow : IDisposable
{
    private readonly Socket _front;
    private readonly Socket _back;
    private readonly IPEndPoint _target;
    private readonly RelaySettings _settings;
    private readonly Random _upRandom;
    private readonly Random _downRandom;
    private readonly byte[] _targetText;
    private readonly byte[] _frontText;
    private EndPoint? _client;

    public RelayFlow(int index, IPEndPoint front, IPEndPoint target, RelaySettings settings, int seed)
    {
        Index = index;
        _target = target;
        _settings = settings;
        _upRandom = new Random(HashCode.Combine(seed, index, 1));
        _downRandom = new Random(HashCode.Combine(seed, index, 2));
        _front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _front.Bind(front);
        _back = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _back.Bind(new IPEndPoint(target.Address, 0));
        _targetText = Encoding.ASCII.GetBytes(target.ToString());
        _frontText = Encoding.ASCII.GetBytes(front.ToString());
    }

    public int Index { get; }

    public volatile bool Cut;

    public RelayCounters Up { get; } = new();

    public RelayCounters Down { get; } = new();

    public void Start(CancellationToken cancellationToken)
    {
        _ = Task.Run(() => PumpUpAsync(cancellationToken), cancellationToken);
        _ = Task.Run(() => PumpDownAsync(cancellationToken), cancellationToken);
    }

    private async Task PumpUpAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _front.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _client = r.RemoteEndPoint;
            Forward(buffer.AsSpan(0, r.ReceivedBytes).ToArray(), _back, _target, _upRandom, Up);
        }
    }

    private async Task PumpDownAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _back.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_client is { } client)
            {
                Forward(Rewrite(buffer.AsSpan(0, r.ReceivedBytes)), _front, client, _downRandom, Down);
            }
        }
    }

    private void Forward(byte[] datagram, Socket via, EndPoint to, Random random, RelayCounters counters)
    {
        double draw;
        int delayMs;
        lock (random)
        {
            draw = random.NextDouble();
            delayMs = _settings.JitterMs > 0 ? random.Next(_settings.JitterMs + 1) : 0;
        }

        if (Cut)
        {
            counters.Cut();
            return;
        }

        if (draw < _settings.Loss)
        {
            counters.Drop();
            return;
        }

        counters.Pass();
        if (delayMs == 0)
        {
            Send(via, datagram, to);
        }
        else
        {
            _ = Task.Delay(delayMs).ContinueWith(_ => Send(via, datagram, to), TaskScheduler.Default);
        }
    }

    private static void Send(Socket via, byte[] datagram, EndPoint to)
    {
        try
        {
            via.SendTo(datagram, to);
        }
        catch (SocketException)
        {
            // the peer's port is gone (ICMP): a lost datagram, as on a network
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The UAS's "host:port" becomes the front's (same length when both ports have as many digits).</summary>
    private byte[] Rewrite(ReadOnlySpan<byte> datagram)
    {
        var output = datagram.ToArray();
        if (_targetText.Length != _frontText.Length)
        {
            return output;
        }

        var span = output.AsSpan();
        var offset = 0;
        int at;
        while ((at = span[offset..].IndexOf(_targetText)) >= 0)
        {
            _frontText.CopyTo(span[(offset + at)..]);
            offset += at + _frontText.Length;
        }

        return output;
    }

    public void Dispose()
    {
        _front.Dispose();
        _back.Dispose();
    }
}
