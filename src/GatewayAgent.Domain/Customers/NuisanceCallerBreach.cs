namespace GatewayAgent.Domain.Customers;

/// <summary>
/// A refused nuisance-caller entry: its index (null when the list as a whole is refused, e.g. too long), the rule it
/// breaks ("format", "range" or FN-12) and why.
/// </summary>
public sealed record NuisanceCallerBreach(int? Index, string Rule, string Message);
