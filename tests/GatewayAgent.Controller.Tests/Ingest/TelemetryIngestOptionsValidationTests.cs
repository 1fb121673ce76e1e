using GatewayAgent.Controller.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>Bad settings stop the controller at start with a message naming the key.</summary>
[Trait("Ring", "unit")]
public sealed class TelemetryIngestOptionsValidationTests
{
    [Theory]
    [InlineData("Controller:Mqtt:Mode", "External", "Controller:Mqtt:Host")]
    [InlineData("Controller:Mqtt:Listen", "localhost-ish", "Controller:Mqtt:Listen")]
    [InlineData("Controller:Mqtt:TlsListen", "0.0.0.0:8883", "Controller:Mqtt:TlsCertificateFile")]
    [InlineData("Controller:Mqtt:ReconnectMinDelay", "00:00:10", "Controller:Mqtt:ReconnectMaxDelay")]
    [InlineData("Controller:Mqtt:ReconnectMaxDelay", "02:00:00", "ReconnectMaxDelay")]
    [InlineData("Controller:Ingest:Workers", "0", "Workers")]
    [InlineData("Controller:Ingest:RebirthCooldown", "-00:00:01", "RebirthCooldown")]
    public async Task A_bad_value_fails_the_start_naming_its_key(string key, string value, string named)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key == "Controller:Mqtt:ReconnectMinDelay")
        {
            settings["Controller:Mqtt:ReconnectMaxDelay"] = "00:00:05";
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<ISiteDirectory>(new InMemorySiteDirectory());
        builder.Services.AddSingleton<ISiteEventLog>(new InMemorySiteEventLog());
        builder.Services.AddTelemetryIngest();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.True(error.Message.Contains(named, StringComparison.Ordinal), error.Message);
    }
}
