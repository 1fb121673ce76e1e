namespace GatewayAgent.Domain.Customers;

/// <summary>The result of <see cref="NuisanceCallerList.Check"/>: the accepted callers, normalised and each once, and the refused entries.</summary>
public sealed record NuisanceCallerCheck(IReadOnlyList<string> Callers, IReadOnlyList<NuisanceCallerBreach> Breaches);
