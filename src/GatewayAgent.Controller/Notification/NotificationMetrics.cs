using System.Diagnostics.Metrics;

namespace GatewayAgent.Controller.Notification;

/// <summary>Meter "GatewayAgent.Controller.Notification": mails delivered, failed attempts, given up, possibly duplicated, outbox depth.</summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "GatewayAgent.Controller.Notification";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _givenUp;
    private readonly Counter<long> _possiblyDuplicated;
    private long _depth = -1;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _delivered = meter.CreateCounter<long>("notification.mails.delivered", "{mail}", "Mails accepted by the SMTP relay");
        _failures = meter.CreateCounter<long>("notification.mails.delivery_failures", "{attempt}", "Delivery attempts that failed");
        _givenUp = meter.CreateCounter<long>("notification.mails.given_up", "{mail}", "Mails abandoned after MaxAttempts, MaxAge or a permanent refusal");
        _possiblyDuplicated = meter.CreateCounter<long>(
            "notification.mails.possibly_duplicated", "{mail}", "Mails sent again after an earlier send was started and never recorded (the relay may have them twice)");
        meter.CreateObservableGauge("notification.outbox.depth", Depth, "{mail}", "Mails pending in the outbox, as last sampled by the dispatcher");
    }

    public void Delivered(MailKind kind) => _delivered.Add(1, Tag(kind));

    public void DeliveryFailed(MailKind kind) => _failures.Add(1, Tag(kind));

    public void GaveUp(MailKind kind) => _givenUp.Add(1, Tag(kind));

    public void PossiblyDuplicated(MailKind kind) => _possiblyDuplicated.Add(1, Tag(kind));

    public void OutboxDepth(int pending) => Interlocked.Exchange(ref _depth, pending);

    // Nothing is reported until the dispatcher has sampled the outbox once.
    private IEnumerable<Measurement<long>> Depth()
    {
        var depth = Interlocked.Read(ref _depth);
        return depth < 0 ? [] : [new Measurement<long>(depth)];
    }

    private static KeyValuePair<string, object?> Tag(MailKind kind) => new("kind", kind switch
    {
        MailKind.Failure => "failure",
        MailKind.Recovery => "recovery",
        MailKind.OtpConfirmation => "otp-confirmation",
        MailKind.OtpCode => "otp-code",
        _ => "test",
    });
}
