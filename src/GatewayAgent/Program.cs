var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args);
using var host = builder.Build();
await host.RunAsync();
