namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// The broker's hold on one QoS 1 agent event (issue 12 item 9): the embedded broker sends the PUBACK only once the
/// ingest worker has committed the event (or found it already stored). A failed write completes it with
/// <see cref="IngestWriteException"/>, so the broker closes the connection instead of acknowledging, and the agent
/// keeps the event in its spool and sends it again.
/// </summary>
internal sealed class IngestReceipt
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the event is stored; faults when its write failed; is cancelled when ingest stops.</summary>
    public Task Completion => _done.Task;

    public void Committed() => _done.TrySetResult();

    public void Failed(Exception error) => _done.TrySetException(new IngestWriteException(error));

    public void Abandoned() => _done.TrySetCanceled();
}

/// <summary>Storing an agent message failed: it must not be acknowledged.</summary>
internal sealed class IngestWriteException(Exception inner) : Exception("storing the agent message failed: " + inner.Message, inner);
