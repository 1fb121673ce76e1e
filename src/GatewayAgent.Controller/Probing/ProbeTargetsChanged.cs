namespace GatewayAgent.Controller.Probing;

/// <summary>
/// Told when the contracts to probe may have changed (a contract created, changed or deleted through the API), so the
/// scheduler re-reads its targets at once instead of at the next round (docs/probing.md, "Who is probed").
/// </summary>
public sealed class ProbeTargetsChanged
{
    public event Action? Changed;

    public void Notify() => Changed?.Invoke();
}
