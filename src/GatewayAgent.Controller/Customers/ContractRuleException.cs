namespace GatewayAgent.Controller.Customers;

/// <summary>Thrown inside a write transaction to roll it back when input breaks a rule; the API turns it into a 400.</summary>
public sealed class ContractRuleException : Exception
{
    public ContractRuleException(IReadOnlyList<RuleViolation> violations)
        : base(string.Join("; ", violations.Select(v => $"{v.Field}: {v.Rule}: {v.Message}")))
    {
        Violations = violations;
    }

    public ContractRuleException(RuleViolation violation)
        : this([violation])
    {
    }

    public ContractRuleException()
        : this([])
    {
    }

    public ContractRuleException(string message)
        : base(message)
    {
        Violations = [];
    }

    public ContractRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Violations = [];
    }

    public IReadOnlyList<RuleViolation> Violations { get; }
}
