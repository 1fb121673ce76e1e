using System.Diagnostics.Metrics;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Notification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>Real dispatcher parts over an in-memory outbox, a fake clock and a relay at 127.0.0.1:<see cref="RelayPort"/>.</summary>
internal sealed class DispatcherHarness : IDisposable
{
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ILoggerFactory _loggers;

    public DispatcherHarness(int relayPort, Action<MailOptions>? configure = null)
    {
        RelayPort = relayPort;
        configure?.Invoke(Mail);
        _loggers = LoggerFactory.Create(b => b.AddProvider(Logs.CreateProvider()).SetMinimumLevel(LogLevel.Trace));
        Relay = new SmtpRelayOptions
        {
            Host = "127.0.0.1",
            Port = relayPort,
            Security = SmtpSecurity.None,
            From = "notify@controller.example.jp",
            FromName = "故障・回復通知",
            Timeout = TimeSpan.FromSeconds(10),
        };
        Messages = new MailMessageFactory(Options.Create(Mail), Options.Create(Relay), _loggers.CreateLogger<MailMessageFactory>());
        Metrics = new NotificationMetrics(_meters.GetRequiredService<IMeterFactory>());
    }

    public int RelayPort { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

    public InMemoryOutboxStore Store { get; } = new();

    public LogCapture Logs { get; } = new();

    public MailOptions Mail { get; } = new() { MessageIdDomain = "controller1.example.jp" };

    public SmtpRelayOptions Relay { get; }

    public MailMessageFactory Messages { get; }

    public NotificationMetrics Metrics { get; }

    public OutboxSignal Signal { get; } = new();

    public IMeterFactory MeterFactory => _meters.GetRequiredService<IMeterFactory>();

    /// <summary>A new dispatcher over the same outbox (as after a controller restart), claiming as <paramref name="node"/>.</summary>
    public OutboxDispatcher NewDispatcher(string node = "controller-test-1")
    {
        var sender = new SmtpMailSender(Options.Create(Relay), Options.Create(new SmtpSinkOptions()), new SmtpSinkControl(), Messages);
        return new OutboxDispatcher(Store, sender, Messages, Metrics, Signal, Options.Create(Mail), new ControllerNode(Options.Create(new ControllerMqttOptions { ClientId = node })), Time, _loggers.CreateLogger<OutboxDispatcher>());
    }

    public Task<long> EnqueueAsync(string recipient, long contractId = 7, MailKind kind = MailKind.Failure) =>
        Store.EnqueueAsync(contractId, kind, recipient, new ComposedMail(MailComposer.FailureSubject, $"{recipient} 宛ての本文\n"), Time.GetUtcNow(), CancellationToken.None);

    public void Dispose()
    {
        _loggers.Dispose();
        _meters.Dispose();
    }
}
