using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace GatewayAgent.Testing;

/// <summary>A real SMTP server (SmtpServer package) on loopback that keeps what it receives; it can refuse with 451.</summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly Store _store;

    private TestSmtpServer(Task running, Store store, int port)
    {
        _running = running;
        _store = store;
        Port = port;
    }

    public int Port { get; }

    public bool Refusing
    {
        get => _store.Refusing;
        set => _store.Refusing = value;
    }

    public IReadOnlyList<MimeMessage> Received => [.. _store.Messages];

    /// <summary>From now on each mail's DATA is held unanswered (the client waits for the 250) until <see cref="ReleaseHeld"/>.</summary>
    public void Hold() => _store.Hold();

    /// <summary>Answers every held mail (and no longer holds new ones).</summary>
    public void ReleaseHeld() => _store.ReleaseHeld();

    /// <summary>Completes when <paramref name="count"/> mails are held at once (so that many sessions are mid-send).</summary>
    public Task WaitHeldAsync(int count) => _store.Held.WaitAsync(count);

    /// <summary>Completes when <paramref name="count"/> mails have been received in total.</summary>
    public Task WaitReceivedAsync(int count) => _store.Count.WaitAsync(count);

    /// <summary>RCPT TO this address is answered with a permanent refusal (5xx).</summary>
    public void RejectRecipient(string address) => _store.Rejected[address] = true;

    /// <summary>Starts on <paramref name="port"/> (0: a free one chosen by the OS).</summary>
    public static async Task<TestSmtpServer> StartAsync(int port = 0)
    {
        var started = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult((IPEndPoint)e.LocalEndPoint);
        var store = new Store();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add((IMessageStore)store);
        services.Add((IMailboxFilter)store);
        var server = new SmtpServer.SmtpServer(
            new SmtpServerOptionsBuilder().ServerName("test-relay").Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build(),
            services);
        var stop = new CancellationTokenSource();
        var running = server.StartAsync(stop.Token);
        await Task.WhenAny(started.Task, running).WaitAsync(TimeSpan.FromSeconds(10));
        if (running.IsFaulted)
        {
            await running;
        }

        var endPoint = await started.Task;
        var result = new TestSmtpServer(running, store, endPoint.Port);
        result._stop.Token.Register(() => stop.Cancel());
        return result;
    }

    /// <summary>A loopback port nothing listens on (bound by the OS, then released).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed class Store : MessageStore, IMailboxFilter
    {
        private readonly Lock _gate = new();
        private volatile bool _refusing;
        private TaskCompletionSource? _hold;

        public Counter Held { get; } = new();

        public Counter Count { get; } = new();

        public void Hold()
        {
            lock (_gate)
            {
                _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void ReleaseHeld()
        {
            lock (_gate)
            {
                _hold?.TrySetResult();
                _hold = null;
            }
        }

        public ConcurrentDictionary<string, bool> Rejected { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task<bool> CanAcceptFromAsync(ISessionContext context, SmtpServer.Mail.IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!Rejected.ContainsKey($"{to.User}@{to.Host}"));

        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public bool Refusing
        {
            get => _refusing;
            set => _refusing = value;
        }

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            Task? hold;
            lock (_gate)
            {
                hold = _hold?.Task;
            }

            if (hold is not null)
            {
                Held.Add(1);
                await hold.WaitAsync(cancellationToken);
                Held.Add(-1);
            }

            if (Refusing)
            {
                return new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 try again later");
            }

            // SmtpServer takes the last line's CRLF as part of the "." terminator (RFC 5321 4.1.1.4): put it back.
            var data = buffer.ToArray();
            using var stream = new MemoryStream(data.AsSpan().EndsWith("\r\n"u8) ? data : [.. data, (byte)'\r', (byte)'\n']);
            Messages.Enqueue(MimeMessage.Load(stream, cancellationToken));
            Count.Add(1);
            return SmtpResponse.Ok;
        }
    }

    /// <summary>A count that tests can await reaching a value (no polling).</summary>
    internal sealed class Counter
    {
        private readonly Lock _gate = new();
        private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
        private int _value;

        public void Add(int delta)
        {
            lock (_gate)
            {
                _value += delta;
                foreach (var waiter in _waiters.Where(w => _value >= w.Target).ToList())
                {
                    waiter.Reached.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }

        public Task WaitAsync(int target)
        {
            lock (_gate)
            {
                if (_value >= target)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((target, reached));
                return reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }
}
