using GatewayAgent.Status;

namespace GatewayAgent.LocalControl;

/// <summary>"led-test": runs the LED test and replies when it is over.</summary>
public sealed class LedTestVerb(ILedTest ledTest) : ILocalControlVerb
{
    public string Verb => "led-test";

    public async Task<LocalControlReply> HandleAsync(LocalControlRequest request, CancellationToken cancellationToken)
    {
        await ledTest.RunAsync(cancellationToken).ConfigureAwait(false);
        return LocalControlReply.Done("LED test done");
    }
}
