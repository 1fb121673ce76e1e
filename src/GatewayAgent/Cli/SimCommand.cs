using System.Net.Sockets;
using System.Text.Json;
using GatewayAgent.Board;
using GatewayAgent.LocalControl;

namespace GatewayAgent.Cli;

/// <summary>
/// gateway-agent sim set NAME=VALUE... [--socket PATH]: drives the running agent's simulated board
/// (power-good=0|1 battery-low=0|1 button=press|long|0|1 wan=0|1 battery-volts=V). Exit 0 when set, 1 when no agent
/// answers or the board is not simulated, 2 for an unknown name or value (named in the message).
/// </summary>
public static class SimCommand
{
    public const string Usage = "usage: gateway-agent sim set power-good=0|1 battery-low=0|1 button=press|long|0|1 wan=0|1 [battery-volts=V] [--socket PATH]";

    public static async Task<int> RunAsync(string[] args)
    {
        LocalControlCommandArgs parsed;
        try
        {
            parsed = LocalControlCommandArgs.Parse(args, new HashSet<string>());
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"gateway-agent: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (parsed.Rest.Count < 2 || parsed.Rest[0] != "set")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var pairs = parsed.Rest.Skip(1).ToList();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            var problem = equals <= 0 ? $"'{pair}' is not NAME=VALUE" : SimulatedSite.Check(pair[..equals], pair[(equals + 1)..]);
            if (problem is not null)
            {
                Console.Error.WriteLine($"gateway-agent: {problem}");
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }

        LocalControlReply reply;
        try
        {
            reply = await LocalControlClient.SendAsync(parsed.SocketPath, new LocalControlRequest { Verb = "sim-set", Args = pairs }, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or JsonException)
        {
            Console.Error.WriteLine($"gateway-agent: cannot reach the agent at {parsed.SocketPath}: is it running?");
            Console.Error.WriteLine($"  ({ex.Message})");
            return 1;
        }

        if (!reply.Ok)
        {
            Console.Error.WriteLine($"gateway-agent: {reply.Error}");
            return 1;
        }

        Console.WriteLine(reply.Message);
        return 0;
    }
}
