using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Sip.Tests.UserAgents;

/// <summary>
/// The registration loop against a registrar that grants odd lifetimes (issue 12 item 6): a 200 with expires=0 is a
/// refusal retried with backoff, and a tiny lifetime is refreshed no sooner than the floor. The registrar answers
/// every REGISTER it is sent; the clock is fake, so a REGISTER sent without the clock moving is a tight loop.
/// </summary>
[Trait("Ring", "unit")]
public sealed class RegistrationClientTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly LogCapture _log = new();

    public static TheoryData<string> ZeroLifetimes => new()
    {
        "Contact: <sip:agent1@127.0.0.1:5060>;expires=0\r\n",
        "Contact: <sip:agent1@127.0.0.1:5060>\r\nExpires: 0\r\n",
        "Expires: 0\r\n",
    };

    [Theory]
    [MemberData(nameof(ZeroLifetimes))]
    public async Task OkGrantingALifetimeOfZero_IsARefusal_RetriedAfterBackoff_NotAtOnce(string lifetimeHeaders)
    {
        var registrar = new AnsweringRegistrar(lifetimeHeaders);
        var client = Start(registrar, out var run);

        // Without the fix the client counted the 0 as a lifetime, waited 0 and sent the next REGISTER at once: the
        // count ran away while the clock stood still.
        await Wait.UntilAsync(() => _log.Has(1132) || registrar.Registers >= 3, [_log.Changes, registrar.Changes],
            "a retry scheduled or a third REGISTER", detail: () => string.Join('\n', _log.Lines));
        Assert.Equal(1, registrar.Registers);
        Assert.Equal(RegistrationState.Failed, client.Status.State);
        Assert.Contains("expires=0", client.Status.Error, StringComparison.Ordinal);

        // The retry comes after the backoff (RetryMin 2 s, ±20 %), and only then.
        _time.Advance(TimeSpan.FromSeconds(2.5));
        await registrar.Changes.UntilAsync(() => registrar.Registers >= 2, "the retry's REGISTER");
        await StopAsync(run);
    }

    [Fact]
    public async Task ATinyLifetime_IsRefreshedNoSoonerThanTheFloor()
    {
        var registrar = new AnsweringRegistrar("Contact: <sip:agent1@127.0.0.1:5060>;expires=1\r\n");
        var client = Start(registrar, out var run);

        await _log.WaitForEventAsync(1133);
        Assert.Equal(RegistrationState.Registered, client.Status.State);
        var refresh = Assert.Single(_log.WithEventId(1133));
        Assert.Equal(RegistrationClient.MinimumRefresh.TotalSeconds, double.Parse(refresh.StructuredState!.Single(p => p.Key == "Seconds").Value!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, registrar.Registers);

        _time.Advance(RegistrationClient.MinimumRefresh);
        await registrar.Changes.UntilAsync(() => registrar.Registers >= 2, "the refresh REGISTER");
        await StopAsync(run);
    }

    private RegistrationClient Start(AnsweringRegistrar registrar, out (Task Task, CancellationTokenSource Stop) run)
    {
        var layer = new SipTransactionLayer(registrar, new SipTimerOptions(), _time, NullLogger<SipTransactionLayer>.Instance);
        registrar.Layer = layer;
        var client = new RegistrationClient(layer, new RegistrationOptions
        {
            Registrar = "udp:127.0.0.1:5060",
            User = "agent1",
            Password = "pw",
            RetryMin = TimeSpan.FromSeconds(2),
        }, _time, _log.CreateLogger<RegistrationClient>());
        var stop = new CancellationTokenSource();
        run = (Task.Run(() => client.RunAsync(stop.Token)), stop);
        return client;
    }

    private static async Task StopAsync((Task Task, CancellationTokenSource Stop) run)
    {
        await run.Stop.CancelAsync();
        await run.Task.WaitAsync(TimeSpan.FromSeconds(10));
        run.Stop.Dispose();
    }

    /// <summary>A registrar that answers each REGISTER with a 200 carrying the given lifetime headers.</summary>
    private sealed class AnsweringRegistrar(string lifetimeHeaders) : ISipMessageSender
    {
        private static readonly SipTarget Self = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
        private int _registers;

        public SipTransactionLayer? Layer { get; set; }

        public Changes Changes { get; } = new();

        public int Registers => Volatile.Read(ref _registers);

        public ValueTask SendAsync(SipMessage message, SipTarget target, CancellationToken cancellationToken = default) =>
            SendAsync(message.ToBytes(), target, cancellationToken);

        public ValueTask SendAsync(ReadOnlyMemory<byte> message, SipTarget target, CancellationToken cancellationToken = default)
        {
            if (SipParser.Parse(message.Span).Message is SipRequest { Method: SipMethods.Register } request)
            {
                var unregister = request.Headers[HeaderNames.Expires] == "0";
                var text = request.CreateResponse(200, null, "reg-tag").ToString().Replace("\r\n\r\n", "\r\n" + lifetimeHeaders + "\r\n", StringComparison.Ordinal);
                var incoming = new IncomingMessage(SipParser.Parse(text), Self, new IPEndPoint(IPAddress.Loopback, 5060));

                // Answer after the send returns, as a network would.
                _ = Task.Run(() =>
                {
                    Layer!.OnMessage(incoming);
                    if (!unregister)
                    {
                        Interlocked.Increment(ref _registers);
                    }

                    Changes.Notify();
                }, CancellationToken.None);
            }

            return ValueTask.CompletedTask;
        }

        public IPEndPoint GetLocalEndPoint(SipTarget target) => new(IPAddress.Loopback, 5070);
    }
}
