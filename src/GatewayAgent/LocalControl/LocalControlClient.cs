using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace GatewayAgent.LocalControl;

/// <summary>The CLI's side of the control socket: one request, one reply.</summary>
public static class LocalControlClient
{
    /// <exception cref="SocketException">Nothing listens at <paramref name="path"/>.</exception>
    public static async Task<LocalControlReply> SendAsync(string path, LocalControlRequest request, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cts.Token).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request, LocalControlJsonContext.Default.LocalControlRequest);
        await stream.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
        await stream.WriteAsync("\n"u8.ToArray(), cts.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync(cts.Token).ConfigureAwait(false)
            ?? throw new IOException("the agent closed the connection without a reply");
        return JsonSerializer.Deserialize(line, LocalControlJsonContext.Default.LocalControlReply)
            ?? throw new IOException("the agent's reply was empty");
    }
}
