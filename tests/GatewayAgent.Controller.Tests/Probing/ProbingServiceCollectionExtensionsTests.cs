using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Probing.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Probing;

/// <summary>AddProbing composes a working prober from configuration, and bad settings stop the start naming their key.</summary>
[Collection(SippCollection.Name)]
[Trait("Ring", "integration")]
public sealed class ProbingServiceCollectionExtensionsTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings, IProbeTargetSource targets, IProbeOutcomeSink sink)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders(); // expected start failures are asserted, not shown on the console
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(targets);
        builder.Services.AddSingleton(sink);
        builder.Services.AddProbing();
        return builder.Build();
    }

    [Fact]
    public async Task ConfiguredHost_ProbesItsContracts_OverItsOwnSipListener()
    {
        await using var site = await SippSite.StartAsync("uas", calls: 1_000_000);
        var targets = new FakeTargetSource { Targets = [new ProbeTarget(5, $"sip:0311111111@127.0.0.1:{site.Port}", "0311111111", null, null, null)] };
        var sink = new RecordingSink();
        using var host = BuildHost(new()
        {
            ["Controller:Probing:Interval"] = "00:00:02",
            ["Controller:Probing:Round"] = "00:00:01",
            ["Controller:Probing:Listen"] = "udp:127.0.0.1:0",
            ["Controller:Probing:Canary"] = $"sip:0399999999@127.0.0.1:{site.Port}",
            ["Controller:Probing:CallerNumber"] = "0120000000",
        }, targets, sink);

        await host.StartAsync();
        var dialer = host.Services.GetRequiredService<SipProbeDialer>();
        Assert.NotEqual(0, Assert.Single(dialer.LocalEndPoints).EndPoint.Port);
        Assert.Same(host.Services.GetRequiredService<ProbeScheduler>(), host.Services.GetRequiredService<IFastProbing>());
        host.Services.GetRequiredService<IFastProbing>().Trigger(5, "power.lost"); // may come before the first round: then ignored
        await sink.WaitUntilAsync(r => r.Count >= 2);
        await host.StopAsync();

        Assert.All(sink.Records, r => Assert.Equal(ProbeOutcome.Reached, r.Outcome));
        Assert.All(sink.Records, r => Assert.Equal(5, r.ContractId));
        var metrics = host.Services.GetRequiredService<ProbingMetrics>();
        Assert.True(metrics.CanaryPlacedTotal >= 1);
        Assert.Equal(0, metrics.CanaryMissedTotal);
    }

    [Theory]
    [InlineData("Controller:Probing:Listen", "5070", "Controller:Probing:Listen")]
    [InlineData("Controller:Probing:Canary", "http://example.com", "Controller:Probing:Canary")]
    [InlineData("Controller:Probing:Interval", "00:00:00", "Interval")]
    [InlineData("Controller:Probing:MaxConcurrent", "0", "MaxConcurrent")]
    [InlineData("Controller:Probing:CallerNumber", "a b", "CallerNumber")]
    public async Task BadSetting_StopsTheStart_NamingTheKey(string key, string value, string named)
    {
        using var host = BuildHost(new() { [key] = value }, new FakeTargetSource(), new RecordingSink());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
