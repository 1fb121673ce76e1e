using System.Runtime.InteropServices;
using GatewayAgent.Hosting;
using GatewayAgent.Lab;

if (CommandLineHelp.IsRequested(args))
{
    return CommandLineHelp.Print(LabOptions.Usage, Console.Out);
}

LabOptions options;
try
{
    options = LabOptions.Parse(args);
}
catch (ArgumentException ex)
{
    return StartupError.InvalidConfiguration($"{ex.Message} (gateway-lab --help lists the options)").Report("gateway-lab", Console.Error);
}

// SIGTERM (a service manager, timeout, kill), SIGHUP (the terminal closed) and SIGINT (Ctrl+C) all stop the lab the
// way "quit" does: the sites and the controller get SIGTERM and the lab waits for them before it exits.
using var cancel = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

var exitCode = 0;
await using (var lab = new LabRunner(options, Console.Out))
{
    try
    {
        await lab.StartAsync(cancel.Token);
        await lab.RunConsoleAsync(Console.In, cancel.Token);
    }
    catch (LabStartException ex)
    {
        exitCode = StartupError.CannotStart(ex.Message).Report("gateway-lab", Console.Error);
    }
    catch (InvalidOperationException ex)
    {
        await Console.Error.WriteLineAsync($"gateway-lab: {ex.Message}");
        exitCode = StartupError.CannotStartExitCode;
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
    }

    if (exitCode == 0)
    {
        Console.WriteLine("gateway-lab: stopping the sites and the controller");
    }
}

if (exitCode == 0)
{
    Console.WriteLine("gateway-lab: stopped");
}

return exitCode;

void Stop(PosixSignalContext context)
{
    context.Cancel = true; // the lab stops its children itself, then exits
    cancel.Cancel();
}
