using GatewayAgent.Controller.Notification;

namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>The mail composer edge for these tests: renders the facts plainly and remembers them.</summary>
public sealed class RecordingMailComposer : IMailComposer
{
    private readonly List<MailFacts> _composed = [];

    public IReadOnlyList<MailFacts> Composed
    {
        get
        {
            lock (_composed)
            {
                return [.. _composed];
            }
        }
    }

    public ComposedMail Compose(MailFacts facts)
    {
        lock (_composed)
        {
            _composed.Add(facts);
        }

        return new ComposedMail($"{facts.Kind} {facts.ContractNumber}", $"{facts.HolderName} {facts.SiteInformation} {facts.MonitoringNumber} {facts.DetectedAt:O} {facts.Cause}");
    }
}
