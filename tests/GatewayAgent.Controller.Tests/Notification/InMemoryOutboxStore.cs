using GatewayAgent.Controller.Notification;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>An <see cref="IOutboxStore"/> kept in memory with the semantics the database store has (due = pending and next attempt ≤ now).</summary>
internal sealed class InMemoryOutboxStore : IOutboxStore
{
    private readonly Lock _gate = new();
    private readonly List<OutboxRow> _rows = [];
    private readonly Dictionary<long, TaskCompletionSource> _delivered = [];
    private long _nextId;

    /// <summary>When set, MarkDeliveredAsync throws once for this id (the crash window between SMTP accept and the mark).</summary>
    public long? FailNextDeliveredMarkFor { get; set; }

    public IReadOnlyList<OutboxRow> Rows
    {
        get
        {
            lock (_gate)
            {
                return _rows.Select(r => r with { }).ToList();
            }
        }
    }

    public OutboxRow Row(long id) => Rows.Single(r => r.Id == id);

    public Task<IReadOnlyList<OutboxMail>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<OutboxMail> due = _rows
                .Where(r => r.Status == OutboxStatus.Pending && r.NextAttemptAt <= now)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
                .Take(max)
                .Select(r => new OutboxMail(r.Id, r.ContractId, r.Kind, r.Recipient, r.Subject, r.Body, r.CreatedAt, r.Attempts))
                .ToList();
            return Task.FromResult(due);
        }
    }

    public Task MarkDeliveredAsync(long id, DateTimeOffset at, string? serverReply, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (FailNextDeliveredMarkFor == id)
            {
                FailNextDeliveredMarkFor = null;
                throw new IOException("simulated crash before the delivered mark");
            }

            var i = Index(id);
            _rows[i] = _rows[i] with { Status = OutboxStatus.Delivered, Attempts = _rows[i].Attempts + 1, DeliveredAt = at, ServerReply = serverReply };
            if (_delivered.Remove(id, out var waiter))
            {
                waiter.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }

    public Task MarkAttemptFailedAsync(long id, DateTimeOffset at, string error, DateTimeOffset? nextAttempt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = Index(id);
            var row = _rows[i];
            _rows[i] = row with
            {
                Status = nextAttempt is null ? OutboxStatus.GivenUp : OutboxStatus.Pending,
                Attempts = row.Attempts + 1,
                LastError = error,
                LastAttemptAt = at,
                NextAttemptAt = nextAttempt ?? row.NextAttemptAt,
                FailedAttemptTimes = [.. row.FailedAttemptTimes, at],
            };
        }

        return Task.CompletedTask;
    }

    public Task<long> EnqueueAsync(long? contractId, MailKind kind, string recipient, ComposedMail mail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var id = ++_nextId;
            _rows.Add(new OutboxRow(id, contractId, kind, recipient, mail.Subject, mail.Body, now, 0, now, OutboxStatus.Pending, null, null, null, null, []));
            return Task.FromResult(id);
        }
    }

    public Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.Count(r => r.Status == OutboxStatus.Pending));
        }
    }

    /// <summary>Completes when the mail is marked delivered (for tests that run the dispatcher's own loop).</summary>
    public Task WaitDeliveredAsync(long id)
    {
        lock (_gate)
        {
            if (_rows[Index(id)].Status == OutboxStatus.Delivered)
            {
                return Task.CompletedTask;
            }

            if (!_delivered.TryGetValue(id, out var waiter))
            {
                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _delivered[id] = waiter;
            }

            return waiter.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private int Index(long id) => _rows.FindIndex(r => r.Id == id);
}

internal enum OutboxStatus
{
    Pending,
    Delivered,
    GivenUp,
}

internal sealed record OutboxRow(
    long Id,
    long? ContractId,
    MailKind Kind,
    string Recipient,
    string Subject,
    string Body,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    OutboxStatus Status,
    DateTimeOffset? DeliveredAt,
    string? ServerReply,
    string? LastError,
    DateTimeOffset? LastAttemptAt,
    IReadOnlyList<DateTimeOffset> FailedAttemptTimes);
