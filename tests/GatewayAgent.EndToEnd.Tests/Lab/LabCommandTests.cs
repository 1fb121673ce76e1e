using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests.Lab;

/// <summary>The lab console's command parsing, "call N [NUMBER]" included.</summary>
[Trait("Ring", "unit")]
public sealed class LabCommandTests
{
    [Theory]
    [InlineData("power 2 off", "power", 2, false)]
    [InlineData("wan 1 on", "wan", 1, true)]
    [InlineData("restore 3", "restore", 3, true)]
    [InlineData("  mails ", "mails", 0, false)]
    [InlineData("quit", "quit", 0, false)]
    public void Parse_KnownCommands(string line, string verb, int site, bool on)
    {
        var command = LabCommand.Parse(line, 3, out var error);

        Assert.Null(error);
        Assert.Equal(new LabCommand(verb, site, on), command);
    }

    [Fact]
    public void Call_WithoutNumber_LeavesTheNumberToTheSite()
    {
        var command = LabCommand.Parse("call 2", 3, out var error);

        Assert.Null(error);
        Assert.Equal(new LabCommand("call", 2, false, null), command);
    }

    [Theory]
    [InlineData("call 2 0310000002", "0310000002")]
    [InlineData("call 2 03-1000-0002", "0310000002")]
    [InlineData("CALL 1 +81310000001", "0310000001")]
    public void Call_WithNumber_TakesItInAnyNotation_AsTheNationalDigits(string line, string number)
    {
        var command = LabCommand.Parse(line, 3, out var error);

        Assert.Null(error);
        Assert.Equal("call", command!.Verb);
        Assert.Equal(number, command.Number);
    }

    [Theory]
    [InlineData("call", "unknown command")]
    [InlineData("call 4", "no site '4'")]
    [InlineData("call x", "no site 'x'")]
    [InlineData("call 1 abc", "'abc' is not a phone number")]
    [InlineData("call 1 0310000001 extra", "unknown command")]
    [InlineData("power 1 maybe", "say on or off")]
    public void Invalid_IsRefused_WithAReason(string line, string reason)
    {
        Assert.Null(LabCommand.Parse(line, 3, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_NamesTheCallCommand()
    {
        Assert.Contains("call N [NUMBER]", LabOptions.Usage, StringComparison.Ordinal);
    }
}
