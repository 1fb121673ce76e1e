namespace GatewayAgent.Controller.Customers;

/// <summary>A rejected input: the JSON field path, the rule (a spec ID such as FN-9, or "format"/"unique"/"range"), and why.</summary>
public sealed record RuleViolation(string Field, string Rule, string Message);
