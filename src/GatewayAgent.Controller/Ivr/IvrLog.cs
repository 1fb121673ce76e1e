using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// The temporary-password IVR's log lines (event ids 6200–6249). Operators and tests follow a call by its Call-ID:
/// answered (6201), each prompt played (6203), unit chosen (6205), wrong entries (6206), password set (6207), ended
/// (6210). Key values are never logged: they are the password.
/// </summary>
internal static partial class IvrLog
{
    [LoggerMessage(6200, LogLevel.Information, "IVR listening on {EndPoints}, access number {AccessNumber}, trusted edges {TrustedEdges}, prompts from {PromptDirectory}")]
    public static partial void Listening(ILogger logger, string endPoints, string accessNumber, string trustedEdges, string promptDirectory);

    [LoggerMessage(6201, LogLevel.Information, "IVR call {CallId} answered: calling line {CallingNumber} asserted by {Edge}, digits by {Digits}")]
    public static partial void Answered(ILogger logger, string callId, string callingNumber, string edge, string digits);

    [LoggerMessage(6202, LogLevel.Warning, "IVR call {CallId} from {Source} refused with {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, string? callId, string source, int statusCode, string reason);

    [LoggerMessage(6203, LogLevel.Information, "IVR call {CallId}: prompt {Prompt}")]
    public static partial void PromptPlayed(ILogger logger, string callId, string prompt);

    [LoggerMessage(6204, LogLevel.Debug, "IVR call {CallId}: key received by {Via}")]
    public static partial void KeyReceived(ILogger logger, string callId, string via);

    [LoggerMessage(6205, LogLevel.Information, "IVR call {CallId}: unit {Unit} chosen")]
    public static partial void UnitChosen(ILogger logger, string callId, AuthenticationUnit unit);

    [LoggerMessage(6206, LogLevel.Information, "IVR call {CallId}: wrong entry {Count} of {Max}: {Reason}")]
    public static partial void WrongEntry(ILogger logger, string callId, int count, int max, string reason);

    [LoggerMessage(6207, LogLevel.Information, "IVR call {CallId}: temporary password set, unit {Unit}, number {Number}")]
    public static partial void PasswordSet(ILogger logger, string callId, AuthenticationUnit unit, string number);

    [LoggerMessage(6208, LogLevel.Warning, "IVR call {CallId}: the account store refused the password for unit {Unit}: {Reason}")]
    public static partial void IssueRefused(ILogger logger, string callId, AuthenticationUnit unit, string reason);

    [LoggerMessage(6209, LogLevel.Error, "IVR call {CallId}: the account store failed")]
    public static partial void IssueFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(6210, LogLevel.Information, "IVR call {CallId} ended: {Why}")]
    public static partial void Ended(ILogger logger, string callId, string why);

    [LoggerMessage(6211, LogLevel.Information, "IVR prompts loaded from {Directory}: {Count} files, {Seconds:F1} s of audio")]
    public static partial void PromptsLoaded(ILogger logger, string directory, int count, double seconds);

    [LoggerMessage(6212, LogLevel.Debug, "IVR call {CallId}: INFO refused with {StatusCode}: {Reason}")]
    public static partial void InfoRefused(ILogger logger, string callId, int statusCode, string reason);

    [LoggerMessage(6213, LogLevel.Warning, "IVR call {CallId}: sending failed")]
    public static partial void SendFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(6215, LogLevel.Error, "IVR call {CallId}: handling a key failed")]
    public static partial void KeyFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(6214, LogLevel.Warning, "IVR call {CallId}: our BYE got {StatusCode}")]
    public static partial void ByeFailed(ILogger logger, string callId, int statusCode);
}
