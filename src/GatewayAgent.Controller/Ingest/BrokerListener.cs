using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// One listening socket of the embedded broker, in place of MQTTnet's own TCP adapter so that a connection is judged
/// before it costs anything (issue 12 item 8): <see cref="BrokerAdmission"/> at accept (per-source connection rate,
/// open connections and failed authentications; a refused socket is closed before TLS or a byte of MQTT), TLS 1.2+
/// with the configured certificate, and <see cref="PacketSizeLimitedStream"/> under the MQTT reader.
/// </summary>
internal sealed class BrokerListener(
    IPEndPoint address,
    X509Certificate2? certificate,
    BrokerAdmission admission,
    BrokerLimitsOptions limits,
    IngestMetrics metrics,
    ILogger logger) : IMqttServerAdapter
{
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private MqttServerOptions? _serverOptions;
    private IMqttNetLogger? _mqttLogger;
    private bool _disposed;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public string Scheme => certificate is null ? "mqtt" : "mqtts";

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _serverOptions = options;
        _mqttLogger = logger;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(address);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _ = Task.Run(AcceptLoopAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        if (!_disposed)
        {
            _stopping.Cancel();
            _socket?.Dispose();
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _stopping.Cancel();
        _socket?.Dispose();
        _disposed = true;
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken token;
        try
        {
            token = _stopping.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket!.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var remote = client.RemoteEndPoint;
            if (!admission.TryOpen(remote, out var reason))
            {
                IngestLog.ConnectionDropped(logger, remote?.ToString(), reason);
                metrics.ConnectionRejected();
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeAsync(client, remote, token), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, EndPoint? remote, CancellationToken token)
    {
        Stream? stream = null;
        try
        {
            client.NoDelay = true;
            stream = new NetworkStream(client, ownsSocket: true);
            X509Certificate2? clientCertificate = null;
            if (certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(token);
                handshake.CancelAfter(_serverOptions!.DefaultCommunicationTimeout);
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
                    },
                    handshake.Token).ConfigureAwait(false);
                clientCertificate = tls.RemoteCertificate as X509Certificate2;
            }

            var limited = new PacketSizeLimitedStream(stream, limits.MaxPacketBytes);
            stream = limited;
            if (ClientHandler is { } handler)
            {
                var channel = new MqttTcpChannel(stream, address, remote, clientCertificate);
                var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(_serverOptions!.WriterBufferSize, _serverOptions.WriterBufferSizeMax));
                using var adapter = new MqttChannelAdapter(channel, formatter, _mqttLogger!);
                await handler(adapter).ConfigureAwait(false);
            }

            if (limited.RefusedPacketBytes > 0)
            {
                IngestLog.PacketTooLarge(logger, remote?.ToString(), limited.RefusedPacketBytes, limits.MaxPacketBytes);
                metrics.PacketTooLarge();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            IngestLog.ConnectionEnded(logger, remote?.ToString(), ex.Message);
        }
        finally
        {
            admission.Closed(remote);
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                client.Dispose();
            }
        }
    }
}
