using GatewayAgent.Cli;

return await AgentCommandLine.RunAsync(args);
