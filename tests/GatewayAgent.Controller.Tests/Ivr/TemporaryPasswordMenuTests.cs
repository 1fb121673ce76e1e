using GatewayAgent.Controller.Ivr;
using GatewayAgent.Domain.Accounts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>SS-3's menu as a state machine: the steps, the wrong entries and the inter-digit timeout on a fake clock.</summary>
[Trait("Ring", "unit")]
public sealed class TemporaryPasswordMenuTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingCall _call = new();
    private readonly TemporaryPasswordMenu _menu;

    public TemporaryPasswordMenuTests()
    {
        _menu = new TemporaryPasswordMenu(_call, _time, Timeout, NullLogger.Instance, "call-1");
    }

    public void Dispose() => _menu.Dispose();

    [Fact]
    public void Start_Greets_AndAsksForTheUnit()
    {
        _menu.Start();

        Assert.Equal([IvrPrompt.Welcome, IvrPrompt.ChooseUnit], _call.Prompts);
        Assert.Equal(MenuStep.ChooseUnit, _menu.Step);
    }

    [Fact]
    public void LineUnit_EightDigitsTwice_SetsThePassword_ThenHangsUp()
    {
        _menu.Start();
        Press("1" + "12345678" + "12345678");

        Assert.Equal([(AuthenticationUnit.Line, null, "12345678")], _call.Issues);
        Assert.Equal(
            [IvrPrompt.Welcome, IvrPrompt.ChooseUnit, IvrPrompt.EnterPassword, IvrPrompt.ConfirmPassword, IvrPrompt.PasswordSet],
            _call.Prompts);
        Assert.Equal(["temporary password set"], _call.HangUps);
        Assert.Equal(MenuStep.Finished, _menu.Step);
    }

    [Theory]
    [InlineData('2', AuthenticationUnit.Number)]
    [InlineData('3', AuthenticationUnit.AdminUser)]
    public void NumberAndAdminUserUnits_AskForTheNumberThenHash(char key, AuthenticationUnit unit)
    {
        _menu.Start();
        Press(key + "0312345678#" + "87654321" + "87654321");

        Assert.Equal([(unit, "0312345678", "87654321")], _call.Issues);
        Assert.Contains(IvrPrompt.EnterNumber, _call.Prompts);
        Assert.Equal(IvrPrompt.PasswordSet, _call.Prompts[^1]);
    }

    [Fact]
    public void AMismatchedConfirmation_IsAWrongEntry_AndThePasswordIsAskedAgain()
    {
        _menu.Start();
        Press("1" + "12345678" + "12345670");

        Assert.Equal(1, _menu.WrongEntries);
        Assert.Equal(MenuStep.EnterPassword, _menu.Step);
        Assert.Equal([IvrPrompt.IncorrectPressAgain, IvrPrompt.EnterPassword], _call.Prompts[^2..]);
        Assert.Empty(_call.Issues);

        Press("24682468" + "24682468");
        Assert.Equal([(AuthenticationUnit.Line, null, "24682468")], _call.Issues);
    }

    [Fact]
    public void ThreeWrongEntries_HangUp_AndLaterKeysAreIgnored()
    {
        _menu.Start();
        Press("4"); // not a unit
        Press("2" + "123#"); // not a number from the area code
        Assert.Equal(2, _menu.WrongEntries);
        Press("*"); // the number ends with #

        Assert.Equal(3, _menu.WrongEntries);
        Assert.Equal(MenuStep.Finished, _menu.Step);
        Assert.Equal(IvrPrompt.TooManyErrors, _call.Prompts[^1]);
        Assert.Equal(["3 wrong entries"], _call.HangUps);

        Press("1" + "12345678" + "12345678");
        Assert.Empty(_call.Issues);
    }

    [Fact]
    public void ANumberLongerThanElevenDigits_IsAWrongEntry()
    {
        _menu.Start();
        Press("2" + "031234567890");

        Assert.Equal(1, _menu.WrongEntries);
        Assert.Equal(MenuStep.EnterNumber, _menu.Step);
    }

    [Fact]
    public void AHashAfterTheDigits_IsHarmless()
    {
        _menu.Start();
        Press("1#" + "12345678#" + "12345678");

        Assert.Equal(0, _menu.WrongEntries);
        Assert.Single(_call.Issues);
    }

    [Fact]
    public void ARefusalByTheStore_IsAWrongEntry_BackToTheUnit()
    {
        _call.Refusal = "0399999999 is not a number of the caller's contract";
        _menu.Start();
        Press("2" + "0399999999#" + "12345678" + "12345678");

        Assert.Equal(1, _menu.WrongEntries);
        Assert.Equal(MenuStep.ChooseUnit, _menu.Step);
        Assert.Equal([IvrPrompt.IncorrectPressAgain, IvrPrompt.ChooseUnit], _call.Prompts[^2..]);
        Assert.Empty(_call.HangUps);
    }

    [Fact]
    public void AFailingStore_PlaysTryAgainLater_AndHangsUp()
    {
        _call.Fail = true;
        _menu.Start();
        Press("1" + "12345678" + "12345678");

        Assert.Equal(IvrPrompt.TryAgainLater, _call.Prompts[^1]);
        Assert.Single(_call.HangUps);
    }

    [Fact]
    public void NoKeyWithinTheInterDigitTimeout_IsAWrongEntry_AndTheStepStartsAgain()
    {
        _menu.Start();
        Press("2031");
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _menu.WrongEntries);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _menu.WrongEntries);
        Assert.Equal(MenuStep.EnterNumber, _menu.Step);
        Assert.Equal([IvrPrompt.IncorrectPressAgain, IvrPrompt.EnterNumber], _call.Prompts[^2..]);

        // The digits before the timeout are gone: a whole number is needed again.
        Press("0312345678#");
        Assert.Equal(MenuStep.EnterPassword, _menu.Step);
    }

    [Fact]
    public void EachKey_RestartsTheInterDigitTimeout()
    {
        _menu.Start();
        Press("1");
        for (var i = 0; i < 7; i++)
        {
            _time.Advance(Timeout - TimeSpan.FromSeconds(1));
            Press("5");
        }

        Assert.Equal(0, _menu.WrongEntries);
        Assert.Equal(MenuStep.EnterPassword, _menu.Step);
    }

    [Fact]
    public void ThreeTimeouts_HangUp()
    {
        _menu.Start();
        _time.Advance(Timeout);
        _time.Advance(Timeout);
        _time.Advance(Timeout);

        Assert.Equal(3, _menu.WrongEntries);
        Assert.Equal(["3 wrong entries"], _call.HangUps);
        _time.Advance(Timeout);
        Assert.Equal(3, _menu.WrongEntries);
    }

    [Fact]
    public void AKey_StopsThePromptPlaying()
    {
        _menu.Start();
        Press("1");

        Assert.Equal(1, _call.Stops);
    }

    private void Press(string keys)
    {
        foreach (var key in keys)
        {
            _menu.OnKey(key);
        }
    }

    private sealed class RecordingCall : IIvrCallControl
    {
        public List<IvrPrompt> Prompts { get; } = [];

        public List<(AuthenticationUnit, string?, string)> Issues { get; } = [];

        public List<string> HangUps { get; } = [];

        public int Stops { get; private set; }

        public string? Refusal { get; set; }

        public bool Fail { get; set; }

        public void Play(IvrPrompt prompt) => Prompts.Add(prompt);

        public void StopPrompts() => Stops++;

        public Task<string?> IssueAsync(AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                return Task.FromException<string?>(new InvalidOperationException("database down"));
            }

            if (Refusal is null)
            {
                Issues.Add((unit, targetNumber, digits));
            }

            return Task.FromResult(Refusal);
        }

        public void HangUp(string reason) => HangUps.Add(reason);
    }
}
