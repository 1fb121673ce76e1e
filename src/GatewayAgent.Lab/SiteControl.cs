using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace GatewayAgent.Lab;

/// <summary>
/// Talks to a running agent's local control socket (the protocol of "gateway-agent sim set"): one JSON request line,
/// one JSON reply line.
/// </summary>
public static class SiteControl
{
    public static async Task<string> SimSetAsync(string socketPath, IReadOnlyList<string> assignments, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Serialize(new Dictionary<string, object> { ["verb"] = "sim-set", ["args"] = assignments });
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var line = Encoding.UTF8.GetBytes(request + "\n");
        await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var reply = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "";
        using var json = JsonDocument.Parse(reply.Length == 0 ? "{}" : reply);
        var ok = json.RootElement.TryGetProperty("ok", out var okValue) && okValue.ValueKind == JsonValueKind.True;
        var message = Text(json.RootElement, ok ? "message" : "error");
        if (!ok)
        {
            throw new InvalidOperationException($"the agent refused sim-set {string.Join(' ', assignments)}: {message ?? reply}");
        }

        return message ?? "ok";
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
