using System.Globalization;
using System.Text;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// SS-3's menu for one call, as a state machine fed with keys (RFC 4733 events or SIP INFO, already decoded):
/// <list type="number">
/// <item>choose the unit: <c>1</c> line, <c>2</c> number, <c>3</c> admin/user;</item>
/// <item>for units 2 and 3, the phone number from the area code, then <c>#</c>;</item>
/// <item>an 8-digit temporary password, then the same 8 digits again;</item>
/// <item>an invalid entry plays "the number entered is not correct, please press again" and that step starts again;
/// the 3rd wrong entry of the call hangs up (SS-3 step 5).</item>
/// </list>
/// Then <see cref="IIvrCallControl.IssueAsync"/> sets the password (valid 24 h, SS-3); a refusal counts as a wrong
/// entry and the caller chooses the unit again. A step also counts as a wrong entry when no key comes within the
/// inter-digit timeout, measured from the step's start and from each key, on the injected clock. A key stops the
/// prompt playing (barge-in). Thread-safe: keys, the timer and the store's answer may arrive on different threads.
/// </summary>
public sealed class TemporaryPasswordMenu : IDisposable
{
    /// <summary>SS-3: the temporary password is 8 digits.</summary>
    public const int PasswordLength = 8;

    /// <summary>SS-3: the 3rd wrong entry hangs up.</summary>
    public const int MaxWrongEntries = 3;

    /// <summary>The longest number accepted before <c>#</c>: 11 digits (a mobile number from its 0).</summary>
    public const int MaxNumberLength = 11;

    private readonly IIvrCallControl _call;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interDigitTimeout;
    private readonly ILogger _logger;
    private readonly string _callId;
    private readonly Lock _gate = new();
    private readonly StringBuilder _entry = new(MaxNumberLength + 1);
    private readonly CancellationTokenSource _ended = new();
    private ITimer? _timer;
    private long _timerGeneration;
    private AuthenticationUnit _unit;
    private string? _number;
    private string? _firstEntry;
    private bool _disposed;

    public TemporaryPasswordMenu(IIvrCallControl call, TimeProvider time, TimeSpan interDigitTimeout, ILogger logger, string callId)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interDigitTimeout, TimeSpan.Zero);
        _call = call;
        _time = time;
        _interDigitTimeout = interDigitTimeout;
        _logger = logger;
        _callId = callId;
    }

    /// <summary>The current step.</summary>
    public MenuStep Step { get; private set; } = MenuStep.NotStarted;

    /// <summary>Wrong entries so far in this call.</summary>
    public int WrongEntries { get; private set; }

    /// <summary>Greets the caller and asks for the unit.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (Step != MenuStep.NotStarted || _disposed)
            {
                return;
            }

            _call.Play(IvrPrompt.Welcome);
            Enter(MenuStep.ChooseUnit);
        }
    }

    /// <summary>One key: <c>0-9</c>, <c>*</c>, <c>#</c> (A–D count as wrong keys).</summary>
    public void OnKey(char key)
    {
        (AuthenticationUnit Unit, string? Number, string Digits)? issue = null;
        lock (_gate)
        {
            if (_disposed || Step is MenuStep.NotStarted or MenuStep.Issuing or MenuStep.Finished)
            {
                return;
            }

            StopTimer();
            _call.StopPrompts();
            switch (Step)
            {
                case MenuStep.ChooseUnit:
                    OnUnitKey(key);
                    break;
                case MenuStep.EnterNumber:
                    OnNumberKey(key);
                    break;
                case MenuStep.EnterPassword:
                case MenuStep.ConfirmPassword:
                    issue = OnPasswordKey(key);
                    break;
            }
        }

        if (issue is { } request)
        {
            _ = IssueAsync(request.Unit, request.Number, request.Digits);
        }
    }

    /// <summary>The call ended: timers stop, a pending issue is cancelled, keys are ignored.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            StopTimer();
        }

        _ended.Cancel();
        _ended.Dispose();
    }

    private void OnUnitKey(char key)
    {
        switch (key)
        {
            case '1':
                _unit = AuthenticationUnit.Line;
                _number = null;
                IvrLog.UnitChosen(_logger, _callId, _unit);
                Enter(MenuStep.EnterPassword);
                break;
            case '2' or '3':
                _unit = (AuthenticationUnit)(key - '0');
                IvrLog.UnitChosen(_logger, _callId, _unit);
                Enter(MenuStep.EnterNumber);
                break;
            default:
                Wrong("the unit is 1, 2 or 3", MenuStep.ChooseUnit);
                break;
        }
    }

    private void OnNumberKey(char key)
    {
        if (char.IsAsciiDigit(key))
        {
            _entry.Append(key);
            if (_entry.Length > MaxNumberLength)
            {
                Wrong($"a number has at most {MaxNumberLength} digits", MenuStep.EnterNumber);
                return;
            }

            ArmTimer();
            return;
        }

        if (key == '#' && PhoneNumber.IsSubscriberNumber(_entry.ToString()))
        {
            _number = _entry.ToString();
            Enter(MenuStep.EnterPassword);
            return;
        }

        Wrong(key == '#' ? "not a phone number from the area code" : "the number ends with #", MenuStep.EnterNumber);
    }

    private (AuthenticationUnit, string?, string)? OnPasswordKey(char key)
    {
        if (key == '#' && _entry.Length == 0)
        {
            ArmTimer(); // a # after the number or after the first 8 digits is harmless
            return null;
        }

        if (!char.IsAsciiDigit(key))
        {
            Wrong($"the password is {PasswordLength} digits", MenuStep.EnterPassword);
            return null;
        }

        _entry.Append(key);
        if (_entry.Length < PasswordLength)
        {
            ArmTimer();
            return null;
        }

        if (Step == MenuStep.EnterPassword)
        {
            _firstEntry = _entry.ToString();
            Enter(MenuStep.ConfirmPassword);
            return null;
        }

        if (!string.Equals(_entry.ToString(), _firstEntry, StringComparison.Ordinal))
        {
            Wrong("the confirmation differs from the first entry", MenuStep.EnterPassword);
            return null;
        }

        var digits = _firstEntry!;
        _entry.Clear();
        _firstEntry = null;
        Step = MenuStep.Issuing;
        return (_unit, _number, digits);
    }

    private async Task IssueAsync(AuthenticationUnit unit, string? number, string digits)
    {
        string? refusal;
        try
        {
            refusal = await _call.IssueAsync(unit, number, digits, _ended.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the call ended first
        }
        catch (Exception ex)
        {
            IvrLog.IssueFailed(_logger, _callId, ex);
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                Step = MenuStep.Finished;
                _call.Play(IvrPrompt.TryAgainLater);
                _call.HangUp("the account store failed");
            }

            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (refusal is null)
            {
                IvrLog.PasswordSet(_logger, _callId, unit, number ?? "(contract number)");
                Step = MenuStep.Finished;
                _call.Play(IvrPrompt.PasswordSet);
                _call.HangUp("temporary password set");
                return;
            }

            IvrLog.IssueRefused(_logger, _callId, unit, refusal);
            Wrong($"refused: {refusal}", MenuStep.ChooseUnit);
        }
    }

    /// <summary>SS-3 step 5: a wrong entry replays the step after "not correct"; the 3rd ends the call.</summary>
    private void Wrong(string reason, MenuStep restart)
    {
        WrongEntries++;
        IvrLog.WrongEntry(_logger, _callId, WrongEntries, MaxWrongEntries, reason);
        if (WrongEntries >= MaxWrongEntries)
        {
            StopTimer();
            Step = MenuStep.Finished;
            _call.StopPrompts();
            _call.Play(IvrPrompt.TooManyErrors);
            _call.HangUp($"{MaxWrongEntries} wrong entries");
            return;
        }

        _call.Play(IvrPrompt.IncorrectPressAgain);
        Enter(restart);
    }

    private void Enter(MenuStep step)
    {
        Step = step;
        _entry.Clear();
        if (step == MenuStep.EnterPassword)
        {
            _firstEntry = null;
        }

        _call.Play(step switch
        {
            MenuStep.ChooseUnit => IvrPrompt.ChooseUnit,
            MenuStep.EnterNumber => IvrPrompt.EnterNumber,
            MenuStep.EnterPassword => IvrPrompt.EnterPassword,
            _ => IvrPrompt.ConfirmPassword,
        });
        ArmTimer();
    }

    private void ArmTimer()
    {
        StopTimer();
        var generation = ++_timerGeneration;
        _timer = _time.CreateTimer(_ => OnTimeout(generation), null, _interDigitTimeout, Timeout.InfiniteTimeSpan);
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
        _timerGeneration++;
    }

    private void OnTimeout(long generation)
    {
        lock (_gate)
        {
            if (_disposed || generation != _timerGeneration || Step is MenuStep.NotStarted or MenuStep.Issuing or MenuStep.Finished)
            {
                return;
            }

            _timer?.Dispose();
            _timer = null;
            Wrong(string.Create(CultureInfo.InvariantCulture, $"no key within {_interDigitTimeout.TotalSeconds:0.###} s"), Step);
        }
    }
}
