using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Forwarding;

namespace GatewayAgent.Controller.Api;

/// <summary>problem+json answers: 400 names the field and the rule (extensions "field", "rule", and every violation in "errors").</summary>
public static class ApiProblems
{
    public static IResult Invalid(IReadOnlyList<RuleViolation> violations) =>
        Rule(StatusCodes.Status400BadRequest, "Invalid input", violations);

    /// <summary>413 in the same shape as <see cref="Invalid"/>: a body over its limit, refused while it was read.</summary>
    public static IResult TooLarge(RuleViolation violation) =>
        Rule(StatusCodes.Status413PayloadTooLarge, "Content too large", [violation]);

    public static IResult NotFound(long contractId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such contract", detail: $"Contract {contractId} does not exist.");

    private static IResult Rule(int status, string title, IReadOnlyList<RuleViolation> violations)
    {
        var first = violations.Count > 0 ? violations[0] : new RuleViolation("", "format", "invalid input");
        return Results.Problem(
            statusCode: status,
            title: title,
            detail: $"{first.Field}: {first.Message} ({first.Rule})",
            type: $"urn:gateway-agent:rule:{first.Rule}",
            extensions: new Dictionary<string, object?>
            {
                ["field"] = first.Field,
                ["rule"] = first.Rule,
                ["errors"] = violations.Select(v => new Dictionary<string, string> { ["field"] = v.Field, ["rule"] = v.Rule, ["message"] = v.Message }).ToList(),
            });
    }

    /// <summary>409: the operator holds the switch off (BF-11); names since when, by whom and why.</summary>
    public static IResult Held(ForwardingHeldException held) =>
        Results.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Bulk forward is held by the operator",
            detail: held.Message,
            type: "urn:gateway-agent:rule:BF-11",
            extensions: new Dictionary<string, object?>
            {
                ["rule"] = "BF-11",
                ["heldSince"] = held.HeldSince,
                ["heldBy"] = held.HeldBy,
                ["note"] = held.Note,
            });

}
