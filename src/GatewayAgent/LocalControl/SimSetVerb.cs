using GatewayAgent.Board;

namespace GatewayAgent.LocalControl;

/// <summary>"sim-set": sets simulated inputs ("power-good=0", "wan=0", "button=press", ...) on the simulated board.</summary>
public sealed class SimSetVerb(SimulatedSite site) : ILocalControlVerb
{
    public string Verb => "sim-set";

    public Task<LocalControlReply> HandleAsync(LocalControlRequest request, CancellationToken cancellationToken)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var arg in request.Args ?? [])
        {
            var equals = arg.IndexOf('=');
            if (equals <= 0)
            {
                return Task.FromResult(LocalControlReply.Fail($"'{arg}' is not NAME=VALUE"));
            }

            pairs.Add(new(arg[..equals], arg[(equals + 1)..]));
        }

        if (pairs.Count == 0)
        {
            return Task.FromResult(LocalControlReply.Fail("nothing to set (NAME=VALUE...)"));
        }

        var problem = site.Set(pairs);
        return Task.FromResult(problem is null ? LocalControlReply.Done("set " + string.Join(' ', request.Args!)) : LocalControlReply.Fail(problem));
    }
}
