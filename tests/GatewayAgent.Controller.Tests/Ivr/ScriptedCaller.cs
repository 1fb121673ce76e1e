using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayAgent.Sip.Dtmf;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>
/// The tests' phone that calls the IVR: a UAC over real UDP sockets on loopback (SIP and RTP), whose messages our
/// parser reads. It offers PCMU and telephone-event 101, sends keys as RFC 4733 events (3 updates and the end packet
/// 3 times, one RTP timestamp per press) or as INFO dtmf-relay, records the RTP it receives, and answers the IVR's BYE.
/// </summary>
internal sealed class ScriptedCaller : IAsyncDisposable
{
    public const int TelephoneEventType = 101;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private readonly IPEndPoint _ivr;
    private readonly Socket _sip;
    private readonly Socket _rtp;
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentQueue<SipResponse> _responses = new();
    private readonly ConcurrentQueue<byte[]> _rtpReceived = new();
    private readonly ConcurrentQueue<IPEndPoint> _rtpSources = new();
    private readonly Changes _changes = new();
    private readonly Task _sipLoop;
    private readonly Task _rtpLoop;
    private readonly string _fromTag = "uac" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _fromUser;
    private SipResponse? _ok;
    private List<string> _routeSet = [];
    private string? _remoteTarget;
    private SipRequest? _bye;
    private long _cseq = 1;
    private ushort _sequence = 100;
    private uint _timestamp = 16000;

    /// <param name="ivr">Where requests go: the IVR, or the edge in front of it.</param>
    /// <param name="address">The loopback address the caller's sockets bind.</param>
    /// <param name="fromUser">The From user: the caller's own claim of its number (an edge may assert it).</param>
    public ScriptedCaller(IPEndPoint ivr, IPAddress? address = null, string fromUser = "caller")
    {
        _ivr = ivr;
        _fromUser = fromUser;
        address ??= IPAddress.Loopback;
        _sip = Bind(address);
        _rtp = Bind(address);
        _sipLoop = ReceiveSipAsync();
        _rtpLoop = ReceiveRtpAsync();
    }

    public string CallId { get; } = Guid.NewGuid().ToString("N") + "@scripted-caller";

    /// <summary>Where the IVR receives RTP (from the 200's SDP).</summary>
    public IPEndPoint? IvrRtp { get; private set; }

    /// <summary>RTP packets received, whole.</summary>
    public IReadOnlyList<byte[]> RtpReceived => [.. _rtpReceived];

    /// <summary>The sources of the RTP received.</summary>
    public IReadOnlyList<IPEndPoint> RtpSources => [.. _rtpSources];

    /// <summary>The IVR's BYE, once it came (answered 200).</summary>
    public SipRequest? Bye => Volatile.Read(ref _bye);

    private IPEndPoint SipLocal => (IPEndPoint)_sip.LocalEndPoint!;

    private IPEndPoint RtpLocal => (IPEndPoint)_rtp.LocalEndPoint!;

    /// <summary>Sends the INVITE and returns its final response; a 200 is acknowledged at once.</summary>
    public async Task<SipResponse> InviteAsync(string accessNumber, string? assertedIdentity, bool telephoneEvent = true)
    {
        var formats = telephoneEvent ? $"0 {TelephoneEventType}" : "0";
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            $"m=audio {RtpLocal.Port} RTP/AVP {formats}\r\na=rtpmap:0 PCMU/8000\r\n" +
            (telephoneEvent ? $"a=rtpmap:{TelephoneEventType} telephone-event/8000\r\na=fmtp:{TelephoneEventType} 0-16\r\n" : "") +
            "a=ptime:20\r\na=sendrecv\r\n";
        var invite =
            $"INVITE sip:{accessNumber}@{_ivr} SIP/2.0\r\n" +
            Via() +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:{_fromUser}@{SipLocal}>;tag={_fromTag}\r\n" +
            $"To: <sip:{accessNumber}@{_ivr}>\r\n" +
            $"Call-ID: {CallId}\r\n" +
            "CSeq: 1 INVITE\r\n" +
            $"Contact: <sip:caller@{SipLocal}>\r\n" +
            (assertedIdentity is null ? "" : $"P-Asserted-Identity: {assertedIdentity}\r\n") +
            "Content-Type: application/sdp\r\n" +
            $"Content-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n" + sdp;
        await SendSipAsync(invite);
        var final = await FinalResponseAsync("INVITE");
        if (final.StatusCode == 200)
        {
            _ok = final;

            // RFC 3261 §12.1.2: the route set is the Record-Route in reverse; the remote target the Contact.
            _routeSet = [.. final.Headers.GetValues(HeaderNames.RecordRoute).Reverse()];
            _remoteTarget = final.Headers[HeaderNames.Contact] is { } contact && NameAddress.TryParse(contact, out var target)
                ? target.Uri.ToString()
                : null;
            var answer = Encoding.UTF8.GetString(final.Body.Span);
            var port = int.Parse(answer.Split("m=audio ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
            IvrRtp = new IPEndPoint(IPAddress.Loopback, port);
            await SendSipAsync(InDialog("ACK", 1, ""));
        }

        return final;
    }

    /// <summary>Sends RTP to the IVR port of another caller's call (a stranger's packets).</summary>
    public void UseMediaOf(ScriptedCaller other) => IvrRtp = other.IvrRtp;

    /// <summary>One 20 ms packet of PCMU silence: the phone's media starts (and the IVR latches its source).</summary>
    public Task SendSilenceAsync() => SendRtpAsync(Packet(0, marker: true, _timestamp, Enumerable.Repeat((byte)0xFF, 160).ToArray()));

    /// <summary>Presses keys as RFC 4733 events in RTP, one timestamp per press.</summary>
    public async Task PressAsync(string keys)
    {
        foreach (var key in keys)
        {
            var code = DtmfKeys.ToEvent(key) ?? throw new ArgumentException($"not a key: {key}", nameof(keys));
            _timestamp += 1600;
            for (var i = 1; i <= 3; i++)
            {
                await SendRtpAsync(Packet(TelephoneEventType, i == 1, _timestamp, Event(code, end: false, (ushort)(160 * i))));
            }

            for (var i = 0; i < 3; i++)
            {
                await SendRtpAsync(Packet(TelephoneEventType, false, _timestamp, Event(code, end: true, 640)));
            }
        }
    }

    /// <summary>Presses one key by SIP INFO (application/dtmf-relay); returns the IVR's response.</summary>
    public async Task<SipResponse> InfoAsync(string body, string contentType = DtmfRelay.ContentType)
    {
        var cseq = Interlocked.Increment(ref _cseq);
        await SendSipAsync(InDialog("INFO", cseq, body, contentType));
        return await FinalResponseAsync("INFO", cseq);
    }

    /// <summary>Presses keys by SIP INFO, each answered 200.</summary>
    public async Task PressByInfoAsync(string keys)
    {
        foreach (var key in keys)
        {
            var response = await InfoAsync($"Signal={key}\r\nDuration=160\r\n");
            if (response.StatusCode != 200)
            {
                throw new InvalidOperationException($"INFO {key} got {response.StatusCode}");
            }
        }
    }

    /// <summary>Waits for the IVR's BYE (answered 200 by the receive loop).</summary>
    public async Task<SipRequest> ByeAsync()
    {
        await _changes.UntilAsync(() => Bye is not null, "the IVR's BYE", Bound);
        return Bye!;
    }

    /// <summary>Waits until <paramref name="count"/> RTP packets whose payload starts with <paramref name="firstByte"/> arrived.</summary>
    public Task ReceivedAsync(byte firstByte, int count) =>
        _changes.UntilAsync(() => Count(firstByte) >= count, $"{count} RTP packets of 0x{firstByte:X2}", Bound,
            () => $"received {RtpReceived.Count} packets: {string.Join(" ", RtpReceived.Select(p => p[RtpHeader.Size].ToString("X2", CultureInfo.InvariantCulture)))}");

    /// <summary>RTP packets received whose payload (160 bytes) starts with <paramref name="firstByte"/>.</summary>
    public int Count(byte firstByte) => RtpReceived.Count(p => p.Length > RtpHeader.Size && p[RtpHeader.Size] == firstByte);

    /// <summary>Hangs up with a BYE of ours.</summary>
    public async Task<SipResponse> HangUpAsync()
    {
        var cseq = Interlocked.Increment(ref _cseq);
        await SendSipAsync(InDialog("BYE", cseq, ""));
        return await FinalResponseAsync("BYE", cseq);
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _sip.Dispose();
        _rtp.Dispose();
        await Task.WhenAll(_sipLoop, _rtpLoop);
        _closing.Dispose();
    }

    private string Via() => $"Via: SIP/2.0/UDP {SipLocal};branch=z9hG4bK-{Guid.NewGuid():N};rport\r\n";

    private string InDialog(string method, long cseq, string body, string? contentType = null)
    {
        var ok = _ok ?? throw new InvalidOperationException("no dialog");
        return $"{method} {_remoteTarget ?? $"sip:{ok.To!.Uri.User}@{_ivr}"} SIP/2.0\r\n" +
            Via() +
            string.Concat(_routeSet.Select(r => $"Route: {r}\r\n")) +
            "Max-Forwards: 70\r\n" +
            $"From: {ok.Headers[HeaderNames.From]}\r\nTo: {ok.Headers[HeaderNames.To]}\r\nCall-ID: {CallId}\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            (contentType is null ? "" : $"Content-Type: {contentType}\r\n") +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n" + body;
    }

    private async Task<SipResponse> FinalResponseAsync(string method, long? cseq = null)
    {
        SipResponse? found = null;
        await _changes.UntilAsync(
            () => (found = _responses.FirstOrDefault(r => r.StatusCode >= 200 && r.CSeq?.Method == method && (cseq is null || r.CSeq?.Number == cseq))) is not null,
            $"a final response to {method}", Bound, () => string.Join(", ", _responses.Select(r => $"{r.StatusCode} {r.CSeq}")));
        return found!;
    }

    private async Task SendSipAsync(string message) => await _sip.SendToAsync(Encoding.UTF8.GetBytes(message), SocketFlags.None, _ivr);

    private async Task SendRtpAsync(byte[] packet) =>
        await _rtp.SendToAsync(packet, SocketFlags.None, IvrRtp ?? throw new InvalidOperationException("no answer yet"));

    private byte[] Packet(int payloadType, bool marker, uint timestamp, byte[] payload)
    {
        var packet = new byte[RtpHeader.Size + payload.Length];
        new RtpHeader((byte)payloadType, marker, _sequence++, timestamp, 0xCA11).WriteTo(packet);
        payload.CopyTo(packet, RtpHeader.Size);
        return packet;
    }

    private static byte[] Event(int code, bool end, ushort duration)
    {
        var payload = new byte[TelephoneEvent.Size];
        new TelephoneEvent((byte)code, end, 10, duration).WriteTo(payload);
        return payload;
    }

    private async Task ReceiveSipAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_closing.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _sip.ReceiveFromAsync(buffer, SocketFlags.None, any, _closing.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            switch (SipParser.Parse(buffer.AsSpan(0, result.ReceivedBytes)).Message)
            {
                case SipResponse response:
                    _responses.Enqueue(response);
                    break;
                case SipRequest { Method: "BYE" } bye:
                    await _sip.SendToAsync(Encoding.UTF8.GetBytes(bye.CreateResponse(200).ToString()), SocketFlags.None, result.RemoteEndPoint);
                    Volatile.Write(ref _bye, bye);
                    break;
            }

            _changes.Notify();
        }
    }

    private async Task ReceiveRtpAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_closing.IsCancellationRequested)
        {
            try
            {
                var result = await _rtp.ReceiveFromAsync(buffer, SocketFlags.None, any, _closing.Token);
                _rtpReceived.Enqueue(buffer.AsSpan(0, result.ReceivedBytes).ToArray());
                _rtpSources.Enqueue((IPEndPoint)result.RemoteEndPoint);
                _changes.Notify();
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    private static Socket Bind(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }
}
