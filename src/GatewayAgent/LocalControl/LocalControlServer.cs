using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.LocalControl;

/// <summary>
/// The control socket: a Unix domain socket (mode 0660, so the service's group may use it) where each line is a JSON
/// request and each reply one JSON line. Verbs come from the registered <see cref="ILocalControlVerb"/>s.
/// </summary>
public sealed class LocalControlServer : BackgroundService
{
    public const int MaxRequestBytes = 64 * 1024;

    private readonly LocalControlOptions _options;
    private readonly Dictionary<string, ILocalControlVerb> _verbs;
    private readonly ILogger _logger;
    private Socket? _listener;

    public LocalControlServer(IOptions<LocalControlOptions> options, IEnumerable<ILocalControlVerb> verbs, ILogger<LocalControlServer> logger)
    {
        _options = options.Value;
        _verbs = [];
        foreach (var verb in verbs)
        {
            _verbs[verb.Verb] = verb;
        }

        _logger = logger;
    }

    /// <summary>The bound socket path, once listening.</summary>
    public string? Path { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            Listen();
        }

        return base.StartAsync(cancellationToken);
    }

    private void Listen()
    {
        var path = LocalControlSocketPath.ForServer(_options.Socket, refused: (directory, reason) => LocalControlLog.UnsafeDirectory(_logger, directory, reason));
        if (path is null)
        {
            LocalControlLog.NoSafePlace(_logger, LocalControlSocketPath.Default);
            return;
        }

        if (string.IsNullOrWhiteSpace(_options.Socket) && path != LocalControlSocketPath.Default)
        {
            LocalControlLog.FallbackPath(_logger, LocalControlSocketPath.Default, path);
        }

        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            if (File.Exists(path))
            {
                if (SomeoneListens(path))
                {
                    LocalControlLog.AlreadyInUse(_logger, path);
                    return;
                }

                File.Delete(path); // left behind by an agent that did not stop cleanly
            }

            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }

            listener.Listen(16);
            _listener = listener;
            Path = path;
            LocalControlLog.Listening(_logger, path, string.Join(", ", _verbs.Keys.Order()));
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            LocalControlLog.ListenFailed(_logger, path, ex.Message);
        }
    }

    private static bool SomeoneListens(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_listener is not { } listener)
        {
            return;
        }

        var connections = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(client, stoppingToken));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(connections).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var socket = client;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var reply = line.Length > MaxRequestBytes ? LocalControlReply.Fail("request too long") : await HandleAsync(line, cancellationToken).ConfigureAwait(false);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, LocalControlJsonContext.Default.LocalControlReply);
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            LocalControlLog.ConnectionEnded(_logger, ex.Message);
        }
    }

    /// <summary>Parses and dispatches one request line.</summary>
    public async Task<LocalControlReply> HandleAsync(string line, CancellationToken cancellationToken)
    {
        LocalControlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(line, LocalControlJsonContext.Default.LocalControlRequest);
        }
        catch (JsonException ex)
        {
            return LocalControlReply.Fail($"not a JSON request: {ex.Message}");
        }

        if (request is null || !_verbs.TryGetValue(request.Verb, out var verb))
        {
            return LocalControlReply.Fail($"unknown verb '{request?.Verb}' (known: {string.Join(", ", _verbs.Keys.Order())})");
        }

        try
        {
            return await verb.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LocalControlLog.VerbFailed(_logger, request.Verb, ex);
            return LocalControlReply.Fail($"{request.Verb} failed: {ex.Message}");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _listener?.Dispose();
        if (Path is { } path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
