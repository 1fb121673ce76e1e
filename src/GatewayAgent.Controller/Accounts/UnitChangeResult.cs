using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>The outcome of a change of authentication unit, the numbers it concerns (wrong or missing passwords), and its plan.</summary>
public sealed record UnitChangeResult(UnitChangeStatus Status, string? Message, IReadOnlyList<string> Numbers, UnitChangePlan? Plan);
