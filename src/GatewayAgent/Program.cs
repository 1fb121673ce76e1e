using GatewayAgent;
using GatewayAgent.Answering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = AgentConfiguration.StripVerb(args),
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json ships beside the binary, whatever the working directory
});
AgentConfiguration.AddSources(builder.Configuration, args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSystemd();
builder.Services.AddProbeAnswering();

using var host = builder.Build();
try
{
    await host.RunAsync();
    return 0;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    Console.Error.WriteLine($"gateway-agent: invalid configuration: {string.Join("; ", ex.Failures)}");
    return 2;
}
