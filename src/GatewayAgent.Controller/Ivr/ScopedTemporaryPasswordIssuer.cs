using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// The account store's <see cref="ITemporaryPasswordIssuer"/> resolved in a scope of its own per question, so the IVR
/// (a singleton) works with a scoped store as well as a singleton one.
/// </summary>
internal sealed class ScopedTemporaryPasswordIssuer(IServiceScopeFactory scopes) : ITemporaryPasswordIssuer
{
    public async Task<bool> IsContractLineAsync(string callingNumber, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ITemporaryPasswordIssuer>()
            .IsContractLineAsync(callingNumber, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> IssueAsync(
        string callingNumber, AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ITemporaryPasswordIssuer>()
            .IssueAsync(callingNumber, unit, targetNumber, digits, cancellationToken).ConfigureAwait(false);
    }
}
