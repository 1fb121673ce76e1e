using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Tests.UserAgents;

/// <summary>
/// No reflection or amplification (docs/security.md, issue 12 item 1): a stranger on 127.0.0.1 calls the real stack on
/// loopback sockets with an INVITE whose Via maddr, Contact and SDP name a third party on 127.0.0.2 (loopback is
/// 127.0.0.0/8), and the third party's UDP and TCP listeners must hear nothing, over a whole call that our BYE ends.
/// </summary>
public abstract class ProbeAnswererReflectionBase : IAsyncDisposable
{
    private protected const string Number = "0312345678";
    private protected static readonly IPAddress ThirdParty = IPAddress.Parse("127.0.0.2");
    private protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private protected readonly SipTransportLayer _transport;
    private protected readonly SipTransactionLayer _transactions;
    private protected readonly ProbeAnswerer _answerer;
    private protected readonly IPEndPoint _agent;
    private protected readonly Socket _stranger = Udp(IPAddress.Loopback);
    private protected readonly Socket _strangerRtp = Udp(IPAddress.Loopback);
    private protected readonly Socket _victimUdp;
    private protected readonly Socket _victimRtp = Udp(ThirdParty);
    private protected readonly Socket _victimTcp;
    private protected long _bytesToAgent;
    private protected long _bytesFromAgent;
    private protected readonly List<string> _traffic = [];

    private protected ProbeAnswererReflectionBase(SipTimerOptions timers)
    {
        _transport = new SipTransportLayer(Options.Create(new SipTransportOptions()), TimeProvider.System, NullLogger<SipTransportLayer>.Instance);
        _transactions = new SipTransactionLayer(_transport, timers, TimeProvider.System,
            NullLogger<SipTransactionLayer>.Instance);
        var ports = new RtpPortAllocator(Options.Create(new RtpPortAllocatorOptions { MinPort = 43000, MaxPort = 43999, BindAddress = "127.0.0.1" }));
        _answerer = new ProbeAnswerer(_transactions, new ProbeAnswererOptions { MonitorNumbers = [Number], MaxCallDuration = TimeSpan.FromSeconds(3) },
            ports, TimeProvider.System, NullLogger<ProbeAnswerer>.Instance);
        _transport.StartAsync(
            [SipListenAddress.Parse("udp:127.0.0.1:0"), SipListenAddress.Parse("tcp:127.0.0.1:0")], _transactions, CancellationToken.None)
            .GetAwaiter().GetResult();
        _agent = _transport.LocalEndPoints[0].EndPoint;

        // The third party listens on one port for UDP and TCP, as a SIP phone would.
        _victimUdp = Udp(ThirdParty);
        _victimTcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _victimTcp.Bind(new IPEndPoint(ThirdParty, ((IPEndPoint)_victimUdp.LocalEndPoint!).Port));
        _victimTcp.Listen();
    }

    private protected int VictimPort => ((IPEndPoint)_victimUdp.LocalEndPoint!).Port;



    private protected async Task<SipResponse> CallAsync(string via, string contact, IPEndPoint media, bool ack = true)
    {
        var local = (IPEndPoint)_stranger.LocalEndPoint!;
        var sdp = $"v=0\r\no=- 1 1 IN IP4 {media.Address}\r\ns=-\r\nc=IN IP4 {media.Address}\r\nt=0 0\r\nm=audio {media.Port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        var invite =
            $"INVITE sip:{Number}@{_agent} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {local};branch=z9hG4bK-{Guid.NewGuid():N};rport{via}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:stranger@{local}>;tag=st1\r\n" +
            $"To: <sip:{Number}@{_agent}>\r\n" +
            $"Call-ID: {Guid.NewGuid():N}@stranger\r\n" +
            "CSeq: 1 INVITE\r\n" +
            $"Contact: {contact}\r\n" +
            "Content-Type: application/sdp\r\n" +
            $"Content-Length: {sdp.Length}\r\n\r\n" + sdp;
        await SendAsync(invite);
        var ok = await ReceiveResponseAsync(200);
        if (ack)
        {
            await SendAsync(Ack(ok));
        }

        return ok;
    }

    private protected string Ack(SipResponse ok)
    {
        var local = (IPEndPoint)_stranger.LocalEndPoint!;
        return $"ACK sip:{Number}@{_agent} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {local};branch=z9hG4bK-{Guid.NewGuid():N};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: {ok.Headers[HeaderNames.From]}\r\nTo: {ok.Headers[HeaderNames.To]}\r\nCall-ID: {ok.CallId}\r\n" +
            $"CSeq: {ok.CSeq!.Value.Number} ACK\r\nContent-Length: 0\r\n\r\n";
    }

    private protected static IPEndPoint AgentRtp(SipResponse ok)
    {
        var sdp = Encoding.UTF8.GetString(ok.Body.Span);
        var port = int.Parse(sdp.Split("m=audio ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return new IPEndPoint(IPAddress.Loopback, port);
    }

    private protected static byte[] RtpPacket(int sequence)
    {
        var packet = new byte[RtpHeader.Size + RtpSender.SamplesPerPacket];
        new RtpHeader(0, sequence == 0, (ushort)sequence, (uint)(sequence * RtpSender.SamplesPerPacket), 0x5eed).WriteTo(packet);
        return packet;
    }

    private protected async Task SendAsync(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        Interlocked.Add(ref _bytesToAgent, bytes.Length);
        _traffic.Add($"-> {message.AsSpan(0, message.IndexOf(' '))} {bytes.Length}");
        await _stranger.SendToAsync(bytes, SocketFlags.None, _agent);
    }

    private protected async Task<SipMessage> ReceiveAsync(Func<SipMessage, bool> wanted, string what)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _stranger.ReceiveFromAsync(buffer, SocketFlags.None, any, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {what} reached the stranger within {Bound}");
            }

            Interlocked.Add(ref _bytesFromAgent, result.ReceivedBytes);
            var parse = SipParser.Parse(buffer.AsSpan(0, result.ReceivedBytes));
            _traffic.Add($"<- {(parse.Message as SipResponse)?.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (parse.Message as SipRequest)?.Method} {result.ReceivedBytes}");
            if (parse.Message is { } message && wanted(message))
            {
                return message;
            }
        }
    }

    private protected async Task<SipResponse> ReceiveResponseAsync(int code) =>
        (SipResponse)await ReceiveAsync(m => m is SipResponse r && r.StatusCode == code, code.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private protected async Task<SipRequest> ReceiveRequestAsync(string method) =>
        (SipRequest)await ReceiveAsync(m => m is SipRequest r && r.Method == method, method);

    private protected static Socket Udp(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await _answerer.DisposeAsync();
        await _transport.DisposeAsync();
        _stranger.Dispose();
        _strangerRtp.Dispose();
        _victimUdp.Dispose();
        _victimRtp.Dispose();
        _victimTcp.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The whole call's bytes: with T1 = 4 s, because the byte count holds for one exchange, and on a busy machine the
/// stranger's ACK may be read later than the default 500 ms, which would add a legitimate 2xx retransmission (RFC 3261
/// §13.3.1.4). Where the agent sends, and how much per exchange, does not depend on T1.
/// </summary>
[Trait("Ring", "integration")]
public sealed class ProbeAnswererReflectionTests() : ProbeAnswererReflectionBase(new SipTimerOptions { T1 = TimeSpan.FromSeconds(4), T2 = TimeSpan.FromSeconds(8) })
{
    [Fact]
    public async Task StrangersInvite_NamingAThirdParty_SendsItNothing_AndNoMoreBytesThanItSent()
    {
        // Via maddr, Contact (transport=tcp) and SDP c=/m= all name 127.0.0.2; the stranger sends no RTP.
        var invite = await CallAsync(via: $";maddr={ThirdParty}", contact: $"<sip:stranger@{ThirdParty}:{VictimPort};transport=tcp>",
            media: new IPEndPoint(ThirdParty, ((IPEndPoint)_victimRtp.LocalEndPoint!).Port));

        var bye = await ReceiveRequestAsync("BYE"); // MaxCallDuration (3 s) ends the call with our BYE...
        await SendAsync(bye.CreateResponse(200).ToString()); // ...which came back to the stranger, not to 127.0.0.2
        await Wait.PollAsync(() => Task.FromResult(_answerer.ActiveCalls), n => n == 0, Bound, "the call to end");

        Assert.Equal(invite.CallId, bye.CallId);
        Assert.Equal(0, _victimUdp.Available);
        Assert.Equal(0, _victimRtp.Available);
        Assert.False(_victimTcp.Poll(0, SelectMode.SelectRead), "a TCP connection reached 127.0.0.2");
        Assert.Equal(0, _strangerRtp.Available); // no RTP without RTP received: none to the stranger either
        Assert.True(_bytesFromAgent <= _bytesToAgent, $"sent {_bytesFromAgent} bytes to the stranger for its {_bytesToAgent}: {string.Join(", ", _traffic)}");
    }
}

/// <summary>Symmetric RTP, with the default timers: the test needs the 200's retransmission at T1 = 500 ms.</summary>
[Trait("Ring", "integration")]
public sealed class ProbeAnswererMediaReflectionTests() : ProbeAnswererReflectionBase(new SipTimerOptions())
{
    [Fact]
    public async Task Rtp_StartsOnlyAfterTheAck_AndAfterRtpArrived_GoesToItsSource_WithinItsBytes()
    {
        // The SDP names 127.0.0.2; the stranger's RTP comes from another socket of its own.
        var ok = await CallAsync(via: "", contact: $"<sip:stranger@127.0.0.1:{((IPEndPoint)_stranger.LocalEndPoint!).Port}>",
            media: new IPEndPoint(ThirdParty, ((IPEndPoint)_victimRtp.LocalEndPoint!).Port), ack: false);
        var agentRtp = AgentRtp(ok);
        const int Sent = 5;
        for (var i = 0; i < Sent; i++)
        {
            await _strangerRtp.SendToAsync(RtpPacket(i), SocketFlags.None, agentRtp);
        }

        // The 200 is resent (T1 = 500 ms) until the ACK: by its retransmission no RTP may have come. MaxCallDuration (3 s)
        // leaves a loaded machine's late timer room: a call ended before the retransmission would never send it.
        await ReceiveResponseAsync(200);
        Assert.Equal(0, _strangerRtp.Available);
        await SendAsync(Ack(ok));

        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        using (var timeout = new CancellationTokenSource(Bound))
        {
            var first = await _strangerRtp.ReceiveFromAsync(buffer, SocketFlags.None, any, timeout.Token);
            Assert.Equal(agentRtp, first.RemoteEndPoint);
        }

        var bye = await ReceiveRequestAsync("BYE");
        await SendAsync(bye.CreateResponse(200).ToString());
        await Wait.PollAsync(() => Task.FromResult(_answerer.ActiveCalls), n => n == 0, Bound, "the call to end");

        // Within the bytes received: at most as many packets of the same size as the stranger sent, the first included.
        var packets = 1;
        while (_strangerRtp.Available > 0)
        {
            _strangerRtp.ReceiveFrom(buffer, ref any);
            packets++;
        }

        Assert.InRange(packets, 1, Sent);
        Assert.Equal(0, _victimRtp.Available);
    }
}
