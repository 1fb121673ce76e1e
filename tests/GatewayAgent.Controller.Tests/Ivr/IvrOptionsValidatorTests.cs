using GatewayAgent.Controller.Ivr;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>Controller:Ivr is checked at start, each failure naming its key; the IVR is off (and unchecked) without Listen.</summary>
[Trait("Ring", "unit")]
public sealed class IvrOptionsValidatorTests
{
    [Fact]
    public void WithoutListen_TheIvrIsOff_AndNothingElseIsRequired()
    {
        var result = new IvrOptionsValidator(NoServices()).Validate(null, new IvrOptions { PromptDirectory = "/nonexistent" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void AValidConfiguration_WithTheAccountStore_Passes()
    {
        var result = new IvrOptionsValidator(WithStore()).Validate(null, Valid());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void EachBadValue_IsNamedByItsKey()
    {
        var options = new IvrOptions
        {
            Listen = ["udp:127.0.0.1:5080", "sctp:1.2.3.4:5"],
            AccessNumber = "abc",
            TrustedEdges = [],
            MediaSources = ["not-a-network"],
            PromptDirectory = "/nonexistent",
        };

        var failures = new IvrOptionsValidator(WithStore()).Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Controller:Ivr:Listen:1 'sctp:1.2.3.4:5'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Controller:Ivr:AccessNumber is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Controller:Ivr:TrustedEdges is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Controller:Ivr:MediaSources:0 'not-a-network'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Controller:Ivr:PromptDirectory: '/nonexistent' is not a directory", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutTheAccountStore_TheIvrDoesNotStart()
    {
        var result = new IvrOptionsValidator(NoServices()).Validate(null, Valid());

        Assert.Contains("ITemporaryPasswordIssuer", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    private static IvrOptions Valid() => new()
    {
        Listen = ["udp:127.0.0.1:5080"],
        AccessNumber = "0120-555-555",
        TrustedEdges = ["127.0.0.1", "192.0.2.0/24"],
    };

    private static IServiceProviderIsService NoServices() => new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceProviderIsService>();

    private static IServiceProviderIsService WithStore() => new ServiceCollection()
        .AddSingleton<ITemporaryPasswordIssuer>(new InMemoryTemporaryPasswordIssuer())
        .BuildServiceProvider()
        .GetRequiredService<IServiceProviderIsService>();
}
