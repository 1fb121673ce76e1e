using System.Net.Sockets;
using GatewayAgent.Hosting;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Tests.Hosting;

/// <summary>The one classification of startup failures every host uses: which exit code, and the one line naming the key or address.</summary>
[Trait("Ring", "unit")]
public sealed class StartupErrorsTests
{
    private sealed class SampleOptions;

    private static readonly OptionsSection[] Sections = [new(typeof(SampleOptions), "Agent:Sample")];

    [Fact]
    public void DataAnnotationFailure_NamesSectionAndMember_Exit2()
    {
        var failure = new OptionsValidationException(Options.DefaultName, typeof(SampleOptions),
            ["DataAnnotation validation failed for 'SampleOptions' members: 'Channels' with the error: 'The field Channels must be between 1 and 64.'."]);

        var error = StartupErrors.Classify(new AggregateException(failure), Sections);

        Assert.NotNull(error);
        Assert.Equal(2, error.ExitCode);
        Assert.Equal("invalid configuration: Agent:Sample:Channels: The field Channels must be between 1 and 64.", Assert.Single(error.Lines));
    }

    [Fact]
    public void SourceGeneratedValidatorFailure_ReadsLikeTheReflectedOne()
    {
        // ValidateOptionsResultBuilder's form, with the member named "Type.Member" by the [OptionsValidator] code.
        var failure = new OptionsValidationException(Options.DefaultName, typeof(SampleOptions),
            ["Channels: The field SampleOptions.Channels must be between 1 and 64.", "MinPort, MaxPort: MinPort must not exceed MaxPort."]);

        var error = StartupErrors.Classify(new AggregateException(failure), Sections);

        Assert.Equal(2, error!.ExitCode);
        Assert.Equal(
            ["invalid configuration: Agent:Sample:Channels: The field Channels must be between 1 and 64.",
             "invalid configuration: Agent:Sample:MinPort,MaxPort: MinPort must not exceed MaxPort."],
            error.Lines);
    }

    [Fact]
    public void SourceGeneratedValidatorFailure_ThatNamesItsKey_IsKeptAsWritten()
    {
        var failure = new OptionsValidationException(Options.DefaultName, typeof(SampleOptions),
            ["Listen: Agent:Sample:Listen:0 'udp:x': not an address", "Agent:Sample:Kind must be sim"]);

        var error = StartupErrors.Classify(failure, Sections);

        Assert.Equal(
            ["invalid configuration: Agent:Sample:Listen:0 'udp:x': not an address", "invalid configuration: Agent:Sample:Kind must be sim"],
            error!.Lines);
    }

    [Fact]
    public void UnregisteredOptionsType_IsNamedByItsType_NotDropped()
    {
        var failure = new OptionsValidationException(Options.DefaultName, typeof(string), ["must not be empty"]);

        var error = StartupErrors.Classify(failure, []);

        Assert.Equal("invalid configuration: String: must not be empty", Assert.Single(error!.Lines));
    }

    [Fact]
    public void ValueThatDoesNotConvert_NamesTheKey_Exit2()
    {
        var failure = new InvalidOperationException("Failed to convert configuration value 'abc' at 'Agent:Sip:Channels' to type 'System.Int32'.",
            new FormatException("The input string 'abc' was not in a correct format."));

        var error = StartupErrors.Classify(failure, Sections);

        Assert.Equal(2, error!.ExitCode);
        Assert.Equal("invalid configuration: Agent:Sip:Channels: 'abc' is not a valid Int32", Assert.Single(error.Lines));
    }

    [Fact]
    public void AddressInUse_UsesTheMessageThatNamesTheAddress_Exit1()
    {
        var failure = new AggregateException(new IOException("Failed to bind to address http://127.0.0.1:8080: address already in use.",
            new SocketException((int)SocketError.AddressAlreadyInUse)));

        var error = StartupErrors.Classify(failure, Sections);

        Assert.Equal(1, error!.ExitCode);
        Assert.Equal("cannot start: Failed to bind to address http://127.0.0.1:8080: address already in use", Assert.Single(error.Lines));
    }

    [Fact]
    public void AnythingElse_IsNotClassified()
    {
        Assert.Null(StartupErrors.Classify(new InvalidOperationException("a bug"), Sections));
        Assert.Null(StartupErrors.Classify(new SocketException((int)SocketError.ConnectionRefused), Sections));
    }

    [Fact]
    public void Report_WritesProgramPrefixedLines_ReturnsTheExitCode()
    {
        using var error = new StringWriter();

        var code = StartupError.CannotStart("127.0.0.1:8080 (--http-port) is in use").Report("gateway-lab", error);

        Assert.Equal(1, code);
        Assert.Equal("gateway-lab: cannot start: 127.0.0.1:8080 (--http-port) is in use" + Environment.NewLine, error.ToString());
    }
}
