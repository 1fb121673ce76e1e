using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GatewayAgent.Board;
using GatewayAgent.Hardware.Leds;
using GatewayAgent.LocalControl;

namespace GatewayAgent.Cli;

/// <summary>
/// gateway-agent status [--socket PATH] [--json] [--config FILE]: the running agent's LEDs (with their meaning),
/// inputs, power, battery, WAN, SIP, cloud and spool, from its control socket. Exit 0, or 1 when no agent answers.
/// </summary>
public static class StatusCommand
{
    public const string Usage = "usage: gateway-agent status [--socket PATH] [--json] [--config FILE]";

    public static async Task<int> RunAsync(string[] args)
    {
        LocalControlCommandArgs parsed;
        try
        {
            parsed = LocalControlCommandArgs.Parse(args, new HashSet<string> { "--json" });
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"gateway-agent: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (parsed.Rest.Count > 0)
        {
            Console.Error.WriteLine($"gateway-agent: unexpected '{parsed.Rest[0]}'");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        LocalControlReply reply;
        try
        {
            reply = await LocalControlClient.SendAsync(parsed.SocketPath, new LocalControlRequest { Verb = "status" }, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or JsonException)
        {
            Console.Error.WriteLine($"gateway-agent: cannot reach the agent at {parsed.SocketPath}: is it running?");
            Console.Error.WriteLine($"  ({ex.Message})");
            return 1;
        }

        if (!reply.Ok || reply.Data is not { } data)
        {
            Console.Error.WriteLine($"gateway-agent: the agent refused: {reply.Error}");
            return 1;
        }

        if (parsed.Flags.Contains("--json"))
        {
            Console.WriteLine(data.GetRawText());
            return 0;
        }

        var report = data.Deserialize(LocalControlJsonContext.Default.LocalStatusReport)!;
        Console.Write(Format(report));
        return 0;
    }

    /// <summary>The readable table a technician reads on site.</summary>
    public static string Format(LocalStatusReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"gateway-agent {report.Version} on {report.Board}, up {TimeSpan.FromSeconds(Math.Floor(report.UptimeSeconds)):c}");
        text.AppendLine();
        text.AppendLine("LED     pattern      meaning");
        foreach (var led in Enum.GetValues<LedName>())
        {
            var name = LedPolicy.Name(led);
            var pattern = report.Leds.GetValueOrDefault(name, "off");
            var meaning = LedPolicy.Parse(pattern) is { } p ? LedPolicy.Meaning(led, p) : "";
            text.AppendLine(c, $"{name.ToUpperInvariant(),-7} {pattern,-12} {meaning}");
        }

        text.AppendLine();
        text.AppendLine(c, $"inputs   {string.Join("  ", report.Inputs.Select(i => $"{i.Key}={(i.Value ? 1 : 0)}"))}");
        var battery = report.Battery is { } b ? $"{b.BusVolts:F2} V, {b.Amps:F3} A, {b.ChargePercent:F0} %{(report.BatteryLow ? ", LOW" : "")}" : report.BatteryLow ? "LOW (no gauge)" : "no gauge";
        text.AppendLine(c, $"power    {report.Power}   battery {battery}");
        text.AppendLine(c, $"wan      {report.Wan}{(report.SipGateOpen ? "" : "   (SIP leg cut: probes cannot arrive)")}");
        var lastProbe = report.Sip.LastProbeAnswered is { } at ? at.ToString("yyyy-MM-ddTHH:mm:ssZ", c) : "never";
        text.AppendLine(c, $"sip      {string.Join(", ", report.SipListening)}; registration {report.Sip.Registration}; {report.Sip.ActiveCalls} active calls; last probe answered {lastProbe}");
        text.AppendLine(c, $"cloud    {report.Cloud}; spool {report.SpoolDepth} events");
        return text.ToString();
    }
}
