using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Net;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// The embedded SMTP sink (Controller:Mail:Sink) for the lab and the tests: an SMTP server on Listen that stores every
/// mail it receives as an .eml file in Directory. <see cref="SmtpSinkControl.Accepting"/> off makes it refuse mail.
/// </summary>
public sealed class SmtpSink(IOptions<SmtpSinkOptions> options, SmtpSinkControl control, TimeProvider time, ILogger<SmtpSink> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly SmtpSinkOptions _options = options.Value;
    private CancellationTokenSource? _stop;
    private Task? _running;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var directory = Path.GetFullPath(_options.Directory);
        Directory.CreateDirectory(directory);
        var endPoint = _options.ListenEndPoint();

        var started = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult((IPEndPoint)e.LocalEndPoint);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new SinkMessageStore(directory, control, time, logger));

        var server = new SmtpServer.SmtpServer(
            new SmtpServerOptionsBuilder().ServerName("gateway-controller-sink").Endpoint(b => b.Endpoint(endPoint)).Build(),
            services);
        server.SessionFaulted += (_, e) => NotificationLog.SinkSessionFaulted(logger, e.Exception);

        var stop = new CancellationTokenSource();
        var running = server.StartAsync(stop.Token);
        var first = await Task.WhenAny(started.Task, running).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first != started.Task)
        {
            stop.Dispose();
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"Controller:Mail:Sink:Listen {endPoint}: {e.Message}", e);
            }

            throw new InvalidOperationException($"Controller:Mail:Sink:Listen {endPoint}: the SMTP sink stopped before listening");
        }

        _stop = stop;
        _running = running;

        control.EndPoint = await started.Task.ConfigureAwait(false);
        NotificationLog.SinkListening(logger, control.EndPoint.ToString(), directory);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var (stop, running) = (_stop, _running);
        if (stop is null || running is null)
        {
            return;
        }

        (_stop, _running) = (null, null);
        control.EndPoint = null;
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        finally
        {
            stop.Dispose();
        }

        NotificationLog.SinkStopped(logger);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
