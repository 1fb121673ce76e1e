using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// Sends PROTOS cases to the agent from one UDP socket and sorts what comes back: responses go to their case (found
/// by the case token in Call-ID, branch or From), the agent's BYEs for answered cases get a 200, and the responses of a
/// probe call go to the probe.
/// </summary>
/// <remarks>
/// Pacing: at most <see cref="Window"/> units are in flight, a case costing one unit per started 4 KiB of its two
/// datagrams: 16 small cases, a few big ones, or one of 64 KiB alone. Even the default 208 KiB socket buffer of the
/// agent (which the kernel charges about twice the payload) would not overflow, so no case is lost before the agent
/// sees it. A case leaves the window at its first response (to the INVITE or the CANCEL: either shows the agent has
/// read both) or after <see cref="SettleTimeout"/> when the agent dropped both. The agent thus sets the pace.
/// </remarks>
internal sealed partial class ProtosDriver : IAsyncDisposable
{
    public const int Window = 16;

    private const int UnitBytes = 4096;

    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan TcpTimeout = TimeSpan.FromSeconds(2);

    private readonly AgentProcess _agent;
    private readonly LoopbackUdpPeer _peer;
    private readonly Socket _rtpSink;
    private readonly ProtosCaseResult[] _results;
    private readonly SemaphoreSlim _window = new(Window, Window);
    private readonly Channel<WireMessage> _probeResponses = Channel.CreateUnbounded<WireMessage>();
    private readonly Task _dispatcher;
    private volatile string? _probeCallId;
    private volatile bool _disposed;
    private int _byesAnswered;
    private int _unmatched;
    private int _probes;

    public ProtosDriver(AgentProcess agent, int caseCount)
    {
        _agent = agent;
        _peer = LoopbackUdpPeer.Open();
        _rtpSink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _rtpSink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _results = [.. Enumerable.Range(0, caseCount).Select(i => new ProtosCaseResult(i))];
        _dispatcher = Task.Run(DispatchAsync);
    }

    public IReadOnlyList<ProtosCaseResult> Results => _results;

    /// <summary>BYEs the agent sent for answered cases (at the maximum call duration), which we answered 200.</summary>
    public int ByesAnswered => Volatile.Read(ref _byesAnswered);

    /// <summary>Datagrams that named no case and no probe.</summary>
    public int Unmatched => Volatile.Read(ref _unmatched);

    /// <summary>Sends the case's INVITE and then its CANCEL; waits first for a free slot in the window.</summary>
    public async Task SendAsync(ProtosCase protosCase)
    {
        var result = _results[protosCase.Index];
        var invite = protosCase.RenderInvite(_agent.Port, _peer.Port);
        var teardown = protosCase.RenderTeardown(_agent.Port, _peer.Port);

        // One sender acquires units one at a time; the dispatcher only releases them.
        result.Units = Math.Min(Window, 1 + ((invite.Length + teardown.Length) / UnitBytes));
        for (var i = 0; i < result.Units; i++)
        {
            await _window.WaitAsync();
        }

        if (invite.Length > LoopbackUdpPeer.MaxDatagram || teardown.Length > LoopbackUdpPeer.MaxDatagram)
        {
            // No UDP datagram holds it (81 cases have 64-141 KiB fields): the same bytes go over TCP, where the agent
            // must refuse a message beyond its size limit and close the connection.
            result.Transport = "tcp";
            await SendOverTcpAsync(result, invite, teardown);
            Settle(result);
            return;
        }

        await _peer.SendAsync(invite, _agent.EndPoint);
        await _peer.SendAsync(teardown, _agent.EndPoint);
        _ = SettleLaterAsync(result);
    }

    /// <summary>Waits until every case sent so far has been answered or given up on.</summary>
    public async Task DrainAsync()
    {
        for (var i = 0; i < Window; i++)
        {
            await _window.WaitAsync();
        }

        _window.Release(Window);
    }

    /// <summary>
    /// A probe call from the same socket: INVITE to the monitoring number must get its 200 within 2 s (an agent that
    /// answers at once sends no 100 or 180, docs/security.md); then
    /// ACK and BYE, whose 200 must come within 2 s. Returns what went wrong, or null.
    /// </summary>
    public async Task<string?> ProbeAsync()
    {
        var callId = $"probe-{Interlocked.Increment(ref _probes)}-{Guid.NewGuid():N}";
        _probeCallId = callId;
        try
        {
            var seen = new List<WireMessage>();
            var local = _peer.EndPoint;
            var rtpPort = ((IPEndPoint)_rtpSink.LocalEndPoint!).Port;
            var invite = TestSipMessages.Invite(local, _agent.EndPoint, AgentProcess.MonitorNumber, callId, rtpPort);
            await _peer.SendAsync(invite, _agent.EndPoint);
            var deadline = DateTime.UtcNow + ProbeTimeout;
            WireMessage? ok = null;
            while (ok is null)
            {
                if (await ReadProbeAsync(deadline, seen.Count == 0 ? invite : null) is not { } response)
                {
                    return $"the probe INVITE got [{string.Join(", ", seen.Select(r => r.StartLine))}], not 200, within {ProbeTimeout}";
                }

                seen.Add(response);
                if (response.StatusCode == 200 && response.CSeqMethod == "INVITE")
                {
                    ok = response;
                }
                else if (response.IsFinal)
                {
                    return $"the probe INVITE got {response.StartLine}";
                }
            }

            await _peer.SendAsync(TestSipMessages.InDialog("ACK", 1, ok, local, callId), _agent.EndPoint);
            var bye = TestSipMessages.InDialog("BYE", 2, ok, local, callId);
            await _peer.SendAsync(bye, _agent.EndPoint);
            deadline = DateTime.UtcNow + ProbeTimeout;
            while (await ReadProbeAsync(deadline, bye) is { } response)
            {
                if (response.CSeqMethod == "BYE")
                {
                    return response.StatusCode == 200 ? null : $"the probe's BYE got {response.StartLine}";
                }
            }

            return $"the probe's BYE got no answer within {ProbeTimeout}";
        }
        finally
        {
            _probeCallId = null;
            while (_probeResponses.Reader.TryRead(out _))
            {
            }
        }
    }

    /// <summary>
    /// The next response to the probe, or null at <paramref name="deadline"/>; meanwhile <paramref name="retransmit"/>
    /// (when given) goes again after T1, 2·T1... as a UAC's Timer A or E would have it over UDP.
    /// </summary>
    private async Task<WireMessage?> ReadProbeAsync(DateTime deadline, byte[]? retransmit)
    {
        var interval = TimeSpan.FromMilliseconds(500);
        var resendAt = DateTime.UtcNow + interval;
        while (true)
        {
            if (_probeResponses.Reader.TryRead(out var ready))
            {
                return ready;
            }

            var now = DateTime.UtcNow;
            if (now >= deadline)
            {
                return null;
            }

            if (retransmit is not null && now >= resendAt)
            {
                await _peer.SendAsync(retransmit, _agent.EndPoint);
                interval *= 2;
                resendAt = now + interval;
            }

            var until = retransmit is null || deadline < resendAt ? deadline : resendAt;
            using var timeout = new CancellationTokenSource(until - now);
            try
            {
                return await _probeResponses.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
            }
        }
    }

    private async Task DispatchAsync()
    {
        await foreach (var datagram in _peer.Received.ReadAllAsync())
        {
            var message = WireMessage.TryParse(datagram);
            if (message is null)
            {
                Interlocked.Increment(ref _unmatched);
                continue;
            }

            if (!message.IsResponse)
            {
                if (message.Method == "BYE")
                {
                    Interlocked.Increment(ref _byesAnswered);
                    try
                    {
                        await _peer.SendAsync(TestSipMessages.Ok(message), _agent.EndPoint);
                    }
                    catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                    {
                        // Disposing: the agent's BYE transaction times out on its own.
                    }
                }

                continue;
            }

            if (_probeCallId is { } probe && message.CallId == probe)
            {
                _probeResponses.Writer.TryWrite(message);
                continue;
            }

            if (CaseOf(datagram) is not { } index)
            {
                Interlocked.Increment(ref _unmatched);
                continue;
            }

            _results[index].Record(message);
            Settle(_results[index]);
        }
    }

    private int? CaseOf(byte[] datagram)
    {
        var match = CaseToken().Match(Encoding.Latin1.GetString(datagram));
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < _results.Length
            ? index
            : null;
    }

    private async Task SendOverTcpAsync(ProtosCaseResult result, byte[] invite, byte[] teardown)
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TcpTimeout);
        using var received = new MemoryStream();
        try
        {
            await tcp.ConnectAsync(_agent.EndPoint, timeout.Token);
            await tcp.SendAsync(invite, SocketFlags.None, timeout.Token);
            await tcp.SendAsync(teardown, SocketFlags.None, timeout.Token);
            tcp.Shutdown(SocketShutdown.Send);
            var buffer = new byte[16384];
            int read;
            while ((read = await tcp.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // The agent closing (or resetting) the connection on an oversized message is the expected outcome.
        }

        // Cut the stream at each status line and read the responses one by one.
        var bytes = received.ToArray();
        var starts = StatusLine().Matches(Encoding.Latin1.GetString(bytes)).Select(m => m.Index).Append(bytes.Length).ToList();
        for (var i = 0; i + 1 < starts.Count; i++)
        {
            if (WireMessage.TryParse(bytes.AsSpan(starts[i], starts[i + 1] - starts[i])) is { IsResponse: true } response)
            {
                result.Record(response);
            }
        }
    }

    private void Settle(ProtosCaseResult result)
    {
        if (result.TrySettle() && !_disposed)
        {
            _window.Release(result.Units);
        }
    }

    private async Task SettleLaterAsync(ProtosCaseResult result)
    {
        await Task.Delay(SettleTimeout);
        Settle(result);
    }

    [GeneratedRegex(@"protos-(\d{4})-c")]
    private static partial Regex CaseToken();

    [GeneratedRegex(@"(?m)^SIP/2\.0 \d{3} ")]
    private static partial Regex StatusLine();

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _peer.DisposeAsync();
        await _dispatcher;
        _rtpSink.Dispose();
        _window.Dispose();
    }
}
