using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Hosting;

/// <summary>
/// The one startup path of the long-running hosts (gateway-agent run, gateway-controller): validate every option
/// before anything starts, run, and turn a recognised startup failure into its exit code and one line per problem
/// on stderr (<see cref="StartupErrors"/>), without a stack trace.
/// </summary>
public static class HostStartup
{
    /// <summary>The generic host's own category; it logs "Hosting failed to start" with the full exception.</summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>
    /// Keeps the generic host from logging the startup exception (with its stack trace) that
    /// <see cref="RunAsync"/> reports as one line. A background service that fails later is still logged: the host
    /// logs that it stops because of it at Critical.
    /// </summary>
    public static ILoggingBuilder AddStartupErrorFilter(this ILoggingBuilder logging) => logging.AddFilter(HostCategory, LogLevel.Critical);

    /// <summary>
    /// Runs <paramref name="host"/> until it stops. Returns 0 after a normal stop, <see cref="StartupError.InvalidConfigurationExitCode"/>
    /// or <see cref="StartupError.CannotStartExitCode"/> after printing "program: ..." lines to <paramref name="error"/>.
    /// <paramref name="classify"/> recognises the host's own startup failures (e.g. the agent's missing board).
    /// Anything else is not caught.
    /// </summary>
    public static async Task<int> RunAsync(IHost host, string program, TextWriter error, Func<Exception, StartupError?>? classify = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(error);
        var sections = host.Services.GetServices<OptionsSection>().ToList();
        try
        {
            // Every option before anything opens a port or a file: a bad value stops the host naming the key.
            host.Services.GetService<IStartupValidator>()?.Validate();
            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Stop what did start before the host is disposed: a background service cancelled by the disposal of a
                // host that was never stopped is reported as a crash (with a stack trace) by the generic host.
                await StopQuietlyAsync(host).ConfigureAwait(false);
                throw;
            }

            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when ((classify?.Invoke(ex) ?? StartupErrors.Classify(ex, sections)) is { } failure)
        {
            return failure.Report(program, error);
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                host.Dispose();
            }
        }
    }

    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or AggregateException or IOException
            or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // the start already failed; that failure is the one to report
        }
    }
}
