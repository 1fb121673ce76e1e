using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GatewayAgent.Controller.Tests.Routing;

/// <summary>How a <see cref="SipPhone"/> answers an INVITE.</summary>
public enum PhoneMode
{
    /// <summary>180 then 200 OK at once; the call stays up until a BYE.</summary>
    Answer,

    /// <summary>180 and nothing more, until a CANCEL (then 200 for it and 487 for the INVITE).</summary>
    Ring,

    /// <summary>Never answers.</summary>
    Silent,

    /// <summary>480 Temporarily Unavailable at once.</summary>
    Reject,
}

/// <summary>
/// A SIP phone on a real UDP socket on 127.0.0.1, written from the wire format so a test sees exactly what arrived: as
/// a called party it records every request and answers INVITEs by <see cref="Mode"/>; as a caller it sends an INVITE
/// built by the test (any headers: Diversion, Privacy, an anonymous From) through the edge, follows the route set for
/// ACK and BYE, and returns the final status.
/// </summary>
public sealed class SipPhone : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _finals = new();
    private readonly ConcurrentDictionary<string, EndPoint> _ringing = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public SipPhone(string name, PhoneMode mode = PhoneMode.Answer)
    {
        Name = name;
        Mode = mode;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _receiving = Task.Run(ReceiveAsync);
    }

    public string Name { get; }

    public PhoneMode Mode { get; set; }

    public int Port { get; }

    /// <summary>Every request received, as text, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>The INVITEs received (retransmissions included once per branch).</summary>
    public IReadOnlyList<string> Invites => [.. _requests.Where(r => r.StartsWith("INVITE ", StringComparison.Ordinal)).DistinctBy(Branch)];

    /// <summary>Waits until at least <paramref name="count"/> distinct INVITEs arrived.</summary>
    public async Task<IReadOnlyList<string>> WaitForInvitesAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Invites.Count < count)
        {
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: {Invites.Count} of {count} INVITEs within {timeout.TotalSeconds:0.#} s");
            }
        }

        return Invites;
    }

    /// <summary>
    /// Calls <paramref name="number"/> through the edge at <paramref name="edgePort"/> with <paramref name="extraHeaders"/>
    /// (each "Name: value") and waits for the final response. A 2xx is acknowledged along the route set and, unless
    /// <paramref name="stayUp"/>, ended with a BYE; the returned <see cref="PhoneCall"/> ends it later.
    /// </summary>
    public async Task<PhoneCall> CallAsync(
        int edgePort, string number, IEnumerable<string>? extraHeaders = null, string fromUser = "0399990000", string fromHost = "127.0.0.1",
        bool stayUp = false, TimeSpan? timeout = null, bool cancelOnRinging = false)
    {
        var callId = Guid.NewGuid().ToString("N") + "@phone";
        var tag = Guid.NewGuid().ToString("N")[..10];
        var branch = "z9hG4bK" + Guid.NewGuid().ToString("N");
        var edge = new IPEndPoint(IPAddress.Loopback, edgePort);
        var requestUri = $"sip:{number}@127.0.0.1:{edgePort}";
        var from = $"<sip:{fromUser}@{fromHost}>;tag={tag}";
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"INVITE {requestUri} SIP/2.0\r\n")
            .Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/UDP 127.0.0.1:{Port};branch={branch};rport\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append(CultureInfo.InvariantCulture, $"From: {from}\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: <{requestUri}>\r\n")
            .Append(CultureInfo.InvariantCulture, $"Call-ID: {callId}\r\n")
            .Append("CSeq: 1 INVITE\r\n")
            .Append(CultureInfo.InvariantCulture, $"Contact: <sip:{fromUser}@127.0.0.1:{Port}>\r\n");
        foreach (var header in extraHeaders ?? [])
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("Content-Type: application/sdp\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n").Append(sdp);
        var final = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _finals[callId] = final;
        var invite = Encoding.UTF8.GetBytes(text.ToString());
        await _socket.SendToAsync(invite, edge);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        // UDP: retransmit the INVITE (timer A) until something comes back
        var interval = TimeSpan.FromMilliseconds(500);
        string response;
        while (true)
        {
            var done = await Task.WhenAny(final.Task, Task.Delay(interval, cts.Token).ContinueWith(_ => { }, TaskScheduler.Default));
            if (done == final.Task)
            {
                response = await final.Task;
                break;
            }

            if (cts.IsCancellationRequested)
            {
                _finals.TryRemove(callId, out _);
                return new PhoneCall(this, 0, "", callId, from, "", "", edge);
            }

            if (!_provisional.ContainsKey(callId))
            {
                await _socket.SendToAsync(invite, edge);
            }
            else if (cancelOnRinging)
            {
                // CANCEL: same branch and Request-URI as the INVITE (RFC 3261 §9.1); resent until the INVITE's final comes
                var cancel = $"CANCEL {requestUri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{Port};branch={branch};rport\r\nMax-Forwards: 70\r\nFrom: {from}\r\nTo: <{requestUri}>\r\nCall-ID: {callId}\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n";
                await _socket.SendToAsync(Encoding.UTF8.GetBytes(cancel), edge);
            }
        }

        _finals.TryRemove(callId, out _);
        var status = int.Parse(response.AsSpan(8, 3), CultureInfo.InvariantCulture);
        var to = Header(response, "To") ?? "";
        if (status >= 300)
        {
            // hop-by-hop ACK for a failure: same branch, the response's To
            var ack = $"ACK {requestUri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{Port};branch={branch};rport\r\nMax-Forwards: 70\r\nFrom: {from}\r\nTo: {to}\r\nCall-ID: {callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
            await _socket.SendToAsync(Encoding.UTF8.GetBytes(ack), edge);
            return new PhoneCall(this, status, response, callId, from, to, "", edge);
        }

        var contact = Header(response, "Contact") is { } c ? Between(c, '<', '>') ?? c : requestUri;
        var routes = string.Join(", ", Headers(response, "Record-Route").Reverse());
        var call = new PhoneCall(this, status, response, callId, from, to, routes, edge) { RemoteTarget = contact };
        await call.SendInDialogAsync("ACK", 1);
        if (!stayUp)
        {
            await call.HangUpAsync();
        }

        return call;
    }

    private readonly ConcurrentDictionary<string, bool> _provisional = new();

    /// <summary>
    /// Registers this phone's address as <paramref name="user"/> at the edge with digest auth (RFC 3261 §22, MD5, no qop);
    /// returns the final status (200 registered, 401/403 refused).
    /// </summary>
    public async Task<int> RegisterAsync(int edgePort, string user, string password, int expires = 300)
    {
        var callId = Guid.NewGuid().ToString("N") + "@phone";
        var tag = Guid.NewGuid().ToString("N")[..10];
        var edge = new IPEndPoint(IPAddress.Loopback, edgePort);
        var uri = $"sip:127.0.0.1:{edgePort}";
        string? authorization = null;
        for (var cseq = 1; cseq <= 2; cseq++)
        {
            var text = $"REGISTER {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{Port};branch=z9hG4bK{Guid.NewGuid():N};rport\r\nMax-Forwards: 70\r\n"
                + $"From: <sip:{user}@127.0.0.1>;tag={tag}\r\nTo: <sip:{user}@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: {cseq} REGISTER\r\n"
                + $"Contact: <sip:{user}@127.0.0.1:{Port}>;expires={expires}\r\n" + (authorization is null ? "" : $"Authorization: {authorization}\r\n")
                + "Content-Length: 0\r\n\r\n";
            var answer = ExpectFinalAsync(callId, "REGISTER");
            await SendAsync(text, edge);
            var done = await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(5)));
            if (done != answer)
            {
                return 0;
            }

            var response = await answer;
            var status = int.Parse(response.AsSpan(8, 3), CultureInfo.InvariantCulture);
            if (status != 401 || authorization is not null)
            {
                return status;
            }

            var challenge = Header(response, "WWW-Authenticate") ?? "";
            string Param(string name) => System.Text.RegularExpressions.Regex.Match(challenge, name + "=\"([^\"]*)\"").Groups[1].Value;
            var realm = Param("realm");
            var nonce = Param("nonce");
#pragma warning disable CA5351 // SIP digest is MD5
            static string Md5(string value) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(value)));
#pragma warning restore CA5351
            var digest = Md5($"{Md5($"{user}:{realm}:{password}")}:{nonce}:{Md5($"REGISTER:{uri}")}");
            authorization = $"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{digest}\", algorithm=MD5";
        }

        return 0;
    }

    internal Task SendAsync(string text, EndPoint to) => _socket.SendToAsync(Encoding.UTF8.GetBytes(text), to);

    internal Task<string> ExpectFinalAsync(string callId, string method)
    {
        var key = callId + " " + method;
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _finals[key] = tcs;
        return tcs.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _receiving;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
        _arrived.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
            if (text.StartsWith("SIP/2.0 ", StringComparison.Ordinal))
            {
                OnResponse(text);
            }
            else if (text.Length > 0)
            {
                await OnRequestAsync(text, received.RemoteEndPoint);
            }
        }
    }

    private void OnResponse(string text)
    {
        var status = int.Parse(text.AsSpan(8, 3), CultureInfo.InvariantCulture);
        var callId = Header(text, "Call-ID") ?? "";
        var method = (Header(text, "CSeq") ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (status < 200)
        {
            _provisional[callId] = true;
            return;
        }

        if (method == "INVITE" && _finals.TryGetValue(callId, out var invite))
        {
            invite.TrySetResult(text);
        }
        else if (_finals.TryRemove(callId + " " + method, out var other))
        {
            other.TrySetResult(text);
        }
    }

    private async Task OnRequestAsync(string text, EndPoint from)
    {
        var method = text[..text.IndexOf(' ', StringComparison.Ordinal)];
        if (method != "ACK")
        {
            _requests.Enqueue(text);
        }

        switch (method)
        {
            case "INVITE":
                _arrived.Release();
                var callId = Header(text, "Call-ID") ?? "";
                switch (Mode)
                {
                    case PhoneMode.Answer:
                        await SendAsync(Response(text, 180, "Ringing", withTag: true), from);
                        await SendAsync(Response(text, 200, "OK", withTag: true, contact: true), from);
                        break;
                    case PhoneMode.Ring:
                        _ringing[callId] = from;
                        await SendAsync(Response(text, 180, "Ringing", withTag: true), from);
                        break;
                    case PhoneMode.Reject:
                        await SendAsync(Response(text, 480, "Temporarily Unavailable", withTag: true), from);
                        break;
                    case PhoneMode.Silent:
                        break;
                }

                break;
            case "CANCEL":
                await SendAsync(Response(text, 200, "OK", withTag: false), from);
                var cancelled = Header(text, "Call-ID") ?? "";
                if (_ringing.TryRemove(cancelled, out var caller))
                {
                    var invite = _requests.LastOrDefault(r => r.StartsWith("INVITE ", StringComparison.Ordinal) && Header(r, "Call-ID") == cancelled);
                    if (invite is not null)
                    {
                        await SendAsync(Response(invite, 487, "Request Terminated", withTag: true), caller);
                    }
                }

                break;
            case "BYE":
            case "OPTIONS":
                await SendAsync(Response(text, 200, "OK", withTag: false), from);
                break;
        }
    }

    private string Response(string request, int status, string reason, bool withTag, bool contact = false)
    {
        var builder = new StringBuilder().Append(CultureInfo.InvariantCulture, $"SIP/2.0 {status} {reason}\r\n");
        foreach (var line in Lines(request))
        {
            var name = line.Split(':', 2)[0].Trim();
            if (name.Equals("Via", StringComparison.OrdinalIgnoreCase) || name.Equals("v", StringComparison.OrdinalIgnoreCase)
                || name.Equals("From", StringComparison.OrdinalIgnoreCase) || name.Equals("Call-ID", StringComparison.OrdinalIgnoreCase)
                || name.Equals("CSeq", StringComparison.OrdinalIgnoreCase) || name.Equals("Record-Route", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append(line).Append("\r\n");
            }
            else if (name.Equals("To", StringComparison.OrdinalIgnoreCase))
            {
                var tag = withTag && !line.Contains(";tag=", StringComparison.Ordinal) ? ";tag=" + (Header(request, "Call-ID") ?? "x").GetHashCode(StringComparison.Ordinal).ToString("x", CultureInfo.InvariantCulture) : "";
                builder.Append(line).Append(tag).Append("\r\n");
            }
        }

        if (contact)
        {
            // the dialled user, so a caller can tell which number this phone answered as
            var user = Between(request.Split("\r\n", 2)[0], ':', '@') ?? Name;
            builder.Append(CultureInfo.InvariantCulture, $"Contact: <sip:{user}@127.0.0.1:{Port}>\r\n");
        }

        builder.Append(CultureInfo.InvariantCulture, $"Server: {Name}\r\nContent-Length: 0\r\n\r\n");
        return builder.ToString();
    }

    /// <summary>The header lines of a message (folded lines not expected here).</summary>
    internal static IEnumerable<string> Lines(string message)
    {
        var head = message.Split("\r\n\r\n", 2)[0];
        return head.Split("\r\n").Skip(1);
    }

    /// <summary>The first value of a header (full name), or null.</summary>
    public static string? Header(string message, string name) => Headers(message, name).FirstOrDefault();

    /// <summary>Every value of a header, one per header line, in order.</summary>
    public static IEnumerable<string> Headers(string message, string name) =>
        Lines(message).Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(l => l[(name.Length + 1)..].Trim());

    private static string? Branch(string request) => Header(request, "Via") is { } via && via.IndexOf("branch=", StringComparison.Ordinal) is var i and >= 0
        ? via[(i + 7)..].Split(';', ',')[0]
        : null;

    private static string? Between(string text, char start, char end)
    {
        var a = text.IndexOf(start, StringComparison.Ordinal);
        var b = a < 0 ? -1 : text.IndexOf(end, a + 1);
        return a >= 0 && b > a ? text[(a + 1)..b] : null;
    }
}

/// <summary>A call a <see cref="SipPhone"/> placed: its final status and, when answered, the dialog to end it.</summary>
public sealed record PhoneCall(SipPhone Phone, int Status, string Response, string CallId, string From, string To, string Routes, EndPoint Edge)
{
    private int _cseq = 1;

    public string RemoteTarget { get; init; } = "";

    /// <summary>The answering phone's Server header (which phone took the call).</summary>
    public string? AnsweredBy => SipPhone.Header(Response, "Server");

    /// <summary>Ends an answered call with a BYE along the route set; returns the BYE's status.</summary>
    public async Task<int> HangUpAsync()
    {
        var cseq = Interlocked.Increment(ref _cseq);
        var answer = Phone.ExpectFinalAsync(CallId, "BYE");
        await SendInDialogAsync("BYE", cseq);
        var done = await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(5)));
        return done == answer ? int.Parse((await answer).AsSpan(8, 3), CultureInfo.InvariantCulture) : 0;
    }

    internal Task SendInDialogAsync(string method, int cseq)
    {
        var branch = "z9hG4bK" + Guid.NewGuid().ToString("N");
        var route = Routes.Length > 0 ? $"Route: {Routes}\r\n" : "";
        var text = $"{method} {RemoteTarget} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{Phone.Port};branch={branch};rport\r\nMax-Forwards: 70\r\n{route}From: {From}\r\nTo: {To}\r\nCall-ID: {CallId}\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n";
        // the route set's first hop is the edge (loose routing): send there
        return Phone.SendAsync(text, Edge);
    }
}
