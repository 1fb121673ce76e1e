using Microsoft.Extensions.Hosting;

namespace GatewayAgent.Hosting;

/// <summary>
/// Stops the host when its standard input reaches end of file: a parent that starts the host with a pipe on stdin
/// (gateway-lab does) holds the pipe's other end, and the kernel closes it when the parent dies in any way — even by
/// SIGKILL, which the parent cannot catch to stop its children itself. .NET has no PR_SET_PDEATHSIG, and polling the
/// parent's pid races with pid reuse; the pipe needs neither. Off unless <see cref="ParentWatch.ConfigurationKey"/> is
/// true: a service's stdin is /dev/null, which is at end of file from the start.
/// </summary>
internal sealed class ParentWatchService(IHostApplicationLifetime lifetime, Func<Stream> openInput) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A console read cannot be cancelled; it runs on its own thread and ends with the process.
        var closed = Task.Factory.StartNew(() => DrainUntilClosed(openInput), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var stopping = Task.Delay(Timeout.Infinite, stoppingToken);
        if (await Task.WhenAny(closed, stopping).ConfigureAwait(false) == closed)
        {
            lifetime.StopApplication();
        }
    }

    private static void DrainUntilClosed(Func<Stream> openInput)
    {
        using var input = openInput();
        var buffer = new byte[256];
        while (input.Read(buffer) > 0)
        {
        }
    }
}
