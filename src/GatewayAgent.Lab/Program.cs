using GatewayAgent.Lab;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(LabOptions.Usage);
    return 0;
}

LabOptions options;
try
{
    options = LabOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"gateway-lab: {ex.Message}");
    Console.Error.WriteLine(LabOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

await using var lab = new LabRunner(options, Console.Out);
try
{
    await lab.StartAsync(cancel.Token);
    await lab.RunConsoleAsync(Console.In, cancel.Token);
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine($"gateway-lab: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
}

Console.WriteLine("gateway-lab: stopping the sites and the controller");
return 0;
