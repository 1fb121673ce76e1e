using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Ivr;

/// <summary>What <see cref="TemporaryPasswordMenu"/> asks of its call. None of these may call back into the menu at once.</summary>
public interface IIvrCallControl
{
    /// <summary>Queues a prompt after those already queued (and logs it).</summary>
    void Play(IvrPrompt prompt);

    /// <summary>Stops the prompt playing and drops the queued ones: a key was pressed (barge-in).</summary>
    void StopPrompts();

    /// <summary>Sets the temporary password; null when set, else why it was refused (<see cref="ITemporaryPasswordIssuer.IssueAsync"/>).</summary>
    Task<string?> IssueAsync(AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken);

    /// <summary>Ends the call with a BYE once the queued prompts have played.</summary>
    void HangUp(string reason);
}
