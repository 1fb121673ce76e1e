namespace GatewayAgent.Status;

/// <summary>
/// Where the agent's parts report events (power monitor, WAN monitor, SIP, button). Listeners (the telemetry
/// publisher, the log) are called synchronously on the raising thread, so the first listener can spool and send a
/// power.lost before anything else happens; listeners must return quickly and never throw.
/// </summary>
public sealed class AgentEventHub
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Action<AgentEventNotice>[] _listeners = [];

    public AgentEventHub(TimeProvider time) => _time = time;

    public IDisposable Subscribe(Action<AgentEventNotice> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }

        return new Subscription(this, listener);
    }

    public void Raise(string type, string? detail = null, System.Text.Json.JsonElement? data = null, DateTimeOffset? at = null) =>
        Raise(new AgentEventNotice(type, at ?? _time.GetUtcNow(), detail, data));

    public void Raise(AgentEventNotice notice)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener(notice);
        }
    }

    private void Unsubscribe(Action<AgentEventNotice> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => l != listener)];
        }
    }

    private sealed class Subscription(AgentEventHub hub, Action<AgentEventNotice> listener) : IDisposable
    {
        public void Dispose() => hub.Unsubscribe(listener);
    }
}
