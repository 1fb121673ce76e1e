namespace GatewayAgent.LocalControl;

/// <summary>
/// One verb of the control socket. Register more with <c>services.AddSingleton&lt;ILocalControlVerb, MyVerb&gt;()</c>;
/// the server dispatches on <see cref="Verb"/> (a later registration of the same verb replaces the earlier one).
/// </summary>
public interface ILocalControlVerb
{
    string Verb { get; }

    Task<LocalControlReply> HandleAsync(LocalControlRequest request, CancellationToken cancellationToken);
}
