namespace GatewayAgent.Controller.Probing;

/// <summary>The prober's own health as its canary sees it (docs/probing.md, "Prober self-check").</summary>
public interface IProberHealth
{
    /// <summary>Since when the canary has been failing (its calls miss), or null while it answers or without a canary.</summary>
    DateTimeOffset? CanaryDownSince { get; }
}
