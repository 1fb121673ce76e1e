namespace GatewayAgent.Controller.Probing;

/// <summary>
/// The canary's state as the scheduler last saw it, shared with whoever reads <see cref="IProberHealth"/> (the cluster
/// membership) without depending on the scheduler itself (which depends on the membership for its targets).
/// </summary>
public sealed class CanaryHealth : IProberHealth
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _downSince;

    public DateTimeOffset? CanaryDownSince
    {
        get
        {
            lock (_gate)
            {
                return _downSince;
            }
        }
    }

    internal void Set(DateTimeOffset? downSince)
    {
        lock (_gate)
        {
            _downSince = downSince;
        }
    }
}
