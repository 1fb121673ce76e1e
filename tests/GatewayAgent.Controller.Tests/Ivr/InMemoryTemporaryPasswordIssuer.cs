using System.Collections.Concurrent;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>
/// A test double of the account store only (the real one comes with the settings site): contracts as lists of numbers,
/// the contract number first; the passwords set are recorded. SS-3's rule that the number entered must be one of the
/// caller's contract is applied as the store will.
/// </summary>
internal sealed class InMemoryTemporaryPasswordIssuer(params string[][] contracts) : ITemporaryPasswordIssuer
{
    private int _questions;

    public ConcurrentQueue<IssuedPassword> Issued { get; } = new();

    /// <summary>How many times <see cref="IsContractLineAsync"/> was asked.</summary>
    public int Questions => Volatile.Read(ref _questions);

    public Task<bool> IsContractLineAsync(string callingNumber, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _questions);
        return Task.FromResult(contracts.Any(c => c.Contains(callingNumber)));
    }

    public Task<string?> IssueAsync(string callingNumber, AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken)
    {
        var contract = contracts.FirstOrDefault(c => c.Contains(callingNumber));
        if (contract is null)
        {
            return Task.FromResult<string?>("the caller is not a contract line");
        }

        var login = unit == AuthenticationUnit.Line ? contract[0] : targetNumber;
        if (login is null || !contract.Contains(login))
        {
            return Task.FromResult<string?>($"{targetNumber} is not a number of the caller's contract");
        }

        Issued.Enqueue(new IssuedPassword(callingNumber, unit, login, digits));
        return Task.FromResult<string?>(null);
    }
}

internal sealed record IssuedPassword(string CallingNumber, AuthenticationUnit Unit, string Login, string Digits);
