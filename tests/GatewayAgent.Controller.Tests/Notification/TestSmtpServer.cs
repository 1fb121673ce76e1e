using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>A real SMTP server (SmtpServer package) on loopback that keeps what it receives; it can refuse with 451.</summary>
internal sealed class TestSmtpServer : IAsyncDisposable
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
        private volatile bool _refusing;

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

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Refusing)
            {
                return Task.FromResult(new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 try again later"));
            }

            // As the sink does: restore the last line's CRLF that SmtpServer takes as part of the "." terminator.
            using var stream = new MemoryStream(GatewayAgent.Controller.Notification.SinkMessageStore.WithFinalLineBreak(buffer.ToArray()));
            Messages.Enqueue(MimeMessage.Load(stream, cancellationToken));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
