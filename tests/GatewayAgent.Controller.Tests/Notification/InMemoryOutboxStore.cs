using GatewayAgent.Controller.Notification;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>An <see cref="IOutboxStore"/> kept in memory with the semantics the database store has (due = pending, next attempt ≤ now, not leased; claims checked on marks).</summary>
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

    public Task<IReadOnlyList<OutboxMail>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var claimed = _rows
                .Where(r => r.Status == OutboxStatus.Pending && r.NextAttemptAt <= now && (r.LeaseUntil is null || r.LeaseUntil <= now))
                .OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id)
                .Take(max)
                .Select(r => r.Id)
                .ToList();
            IReadOnlyList<OutboxMail> due = claimed.Select(id =>
            {
                var i = Index(id);
                var r = _rows[i] = _rows[i] with { ClaimedBy = owner, LeaseUntil = leaseUntil };
                return new OutboxMail(r.Id, r.ContractId, r.Kind, r.Recipient, r.Subject, r.Body, r.CreatedAt, r.Attempts);
            }).ToList();
            return Task.FromResult(due);
        }
    }

    public Task<bool> RenewLeaseAsync(long id, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = Index(id);
            if (_rows[i].Status != OutboxStatus.Pending || _rows[i].ClaimedBy != owner)
            {
                return Task.FromResult(false);
            }

            _rows[i] = _rows[i] with { LeaseUntil = leaseUntil };
            return Task.FromResult(true);
        }
    }

    public Task<OutboxSendStart> BeginSendAsync(long id, string owner, DateTimeOffset at, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = Index(id);
            var row = _rows[i];
            if (row.Status != OutboxStatus.Pending || row.ClaimedBy != owner)
            {
                return Task.FromResult(OutboxSendStart.NotHeld);
            }

            var repeat = row.SendStartedAt is not null;
            _rows[i] = row with { LeaseUntil = leaseUntil, SendStartedAt = at, PossiblyDuplicated = row.PossiblyDuplicated || repeat };
            return Task.FromResult(repeat ? OutboxSendStart.Repeat : OutboxSendStart.First);
        }
    }

    public Task<int> RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        Task.FromResult(Update(r => r.Status == OutboxStatus.Pending && r.ClaimedBy == owner, r => r with { LeaseUntil = leaseUntil }));

    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) =>
        Task.FromResult(Update(r => r.Status == OutboxStatus.Pending && r.ClaimedBy == owner, r => r with { ClaimedBy = null, LeaseUntil = null }));

    public Task<OutboxMarkResult> MarkDeliveredAsync(long id, string owner, DateTimeOffset at, string? serverReply, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (FailNextDeliveredMarkFor == id)
            {
                FailNextDeliveredMarkFor = null;
                throw new IOException("simulated crash before the delivered mark");
            }

            var i = Index(id);
            var row = _rows[i];
            var held = row.ClaimedBy == owner;
            if (row.Status != OutboxStatus.Pending)
            {
                return Task.FromResult(OutboxMarkResult.NotRecorded(held, row.AlertedAt));
            }

            _rows[i] = row with
            {
                Status = OutboxStatus.Delivered, Attempts = row.Attempts + 1, DeliveredAt = at, ServerReply = serverReply, ClaimedBy = null, LeaseUntil = null,
                SendStartedAt = null,
            };
            if (_delivered.Remove(id, out var waiter))
            {
                waiter.TrySetResult();
            }

            return Task.FromResult(new OutboxMarkResult(true, held, row.AlertedAt, false));
        }
    }

    public Task<OutboxMarkResult> MarkAttemptFailedAsync(
        long id, string owner, DateTimeOffset at, string error, DateTimeOffset? nextAttempt, bool alertDue, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var i = Index(id);
            var row = _rows[i];
            var held = row.ClaimedBy == owner;
            if (row.Status != OutboxStatus.Pending || !held)
            {
                return Task.FromResult(OutboxMarkResult.NotRecorded(held, row.AlertedAt));
            }

            var raise = alertDue && row.AlertedAt is null;
            var alertedAt = raise ? at : row.AlertedAt;
            _rows[i] = row with
            {
                Status = nextAttempt is null ? OutboxStatus.GivenUp : OutboxStatus.Pending,
                Attempts = row.Attempts + 1,
                LastError = error,
                LastAttemptAt = at,
                NextAttemptAt = nextAttempt ?? row.NextAttemptAt,
                FailedAttemptTimes = [.. row.FailedAttemptTimes, at],
                ClaimedBy = null,
                LeaseUntil = null,
                AlertedAt = alertedAt,
                SendStartedAt = null,
            };
            return Task.FromResult(new OutboxMarkResult(true, true, alertedAt, raise));
        }
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

    private int Update(Func<OutboxRow, bool> which, Func<OutboxRow, OutboxRow> change)
    {
        lock (_gate)
        {
            var count = 0;
            for (var i = 0; i < _rows.Count; i++)
            {
                if (which(_rows[i]))
                {
                    _rows[i] = change(_rows[i]);
                    count++;
                }
            }

            return count;
        }
    }
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
    IReadOnlyList<DateTimeOffset> FailedAttemptTimes,
    string? ClaimedBy = null,
    DateTimeOffset? LeaseUntil = null,
    DateTimeOffset? AlertedAt = null,
    DateTimeOffset? SendStartedAt = null,
    bool PossiblyDuplicated = false);
