namespace GatewayAgent.Controller.Api;

/// <summary>API log messages, event ids 6150-6199.</summary>
internal static partial class Log
{
    [LoggerMessage(6150, LogLevel.Warning, "No operator API keys configured (Controller:Api:Keys, Controller:Api:NamedKeys): every API call is refused")]
    public static partial void NoApiKeys(ILogger logger);

    [LoggerMessage(6151, LogLevel.Information, "Refused {Method} {Path} from {Source}: missing or unknown API key")]
    public static partial void Unauthorized(ILogger logger, string method, string path, string source);

    [LoggerMessage(6152, LogLevel.Information, "Contract {ContractId}: {Change} by {Actor} (X-Operator: {Operator})")]
    public static partial void ContractChanged(ILogger logger, long contractId, string change, string actor, string? @operator);

    [LoggerMessage(6153, LogLevel.Information, "Contract {ContractId}: test mail {MailId} queued for {Recipient} by {Actor}")]
    public static partial void TestMailQueued(ILogger logger, long contractId, long mailId, string recipient, string actor);

    [LoggerMessage(6154, LogLevel.Warning, "Refused {Method} {Path} from {Source}: too many failed authentications from this address")]
    public static partial void Throttled(ILogger logger, string source, string method, string path);

    [LoggerMessage(6155, LogLevel.Information, "Refused {Method} {Path} to key {Key} (role {Role}): needs {Required}")]
    public static partial void Forbidden(ILogger logger, string key, ApiRole role, string method, string path, ApiRole required);
}
