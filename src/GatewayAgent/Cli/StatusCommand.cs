namespace GatewayAgent.Cli;

// Placeholder until the verb lands (issue 3).
public static class StatusCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        _ = args;
        Console.Error.WriteLine("gateway-agent: this verb is not available in this build yet");
        return Task.FromResult(70);
    }
}
