namespace GatewayAgent.Sip.Transactions;

/// <summary>A restartable one-shot timer on the injected <see cref="TimeProvider"/>.</summary>
internal sealed class TransactionTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action _callback;
    private ITimer? _timer;

    public TransactionTimer(TimeProvider time, Action callback)
    {
        _time = time;
        _callback = callback;
    }

    public void Start(TimeSpan due)
    {
        _timer?.Dispose();
        _timer = _time.CreateTimer(static s => ((TransactionTimer)s!)._callback(), this, due, Timeout.InfiniteTimeSpan);
    }

    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
    }

    public void Dispose() => Stop();
}
