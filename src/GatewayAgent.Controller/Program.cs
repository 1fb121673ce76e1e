using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Api;
using GatewayAgent.Controller.Cluster;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Hosting;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Metrics;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Routing;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Hosting;

if (CommandLineHelp.IsRequested(args))
{
    // Before the builder: --help never starts the controller, binds a port or creates its data directory.
    return CommandLineHelp.Print(ControllerHost.Usage, Console.Out);
}

// appsettings.json ships beside the binary, whatever the working directory (as for the agent).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }).AddControllerHost(args);

builder.Services
    .AddControllerMetrics()
    .AddControllerStorage()
    .AddContracts()
    .AddDetection()
    .AddForwarding()
    .AddContractChangeWatch()
    .AddEdgeRouting()
    .AddControllerApi()
    .AddCluster()
    .AddProbing()
    .AddNotification()
    .AddTelemetryIngest()
    .AddPortalAccounts()
    .AddIvr();

var app = builder.Build();

app.UseControllerApi();
app.MapControllerHealth();
app.MapControllerMetrics();
app.MapContractEndpoints();
app.MapClusterEndpoints();
app.MapOpenApi();

return await app.RunControllerAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
