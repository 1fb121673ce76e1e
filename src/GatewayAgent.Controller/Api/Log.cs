namespace GatewayAgent.Controller.Api;

/// <summary>API log messages, event ids 6150-6199.</summary>
internal static partial class Log
{
    [LoggerMessage(6150, LogLevel.Warning, "No operator API keys configured (Controller:Api:Keys): every API call is refused")]
    public static partial void NoApiKeys(ILogger logger);

    [LoggerMessage(6151, LogLevel.Information, "Refused {Method} {Path}: missing or unknown API key")]
    public static partial void Unauthorized(ILogger logger, string method, string path);

    [LoggerMessage(6152, LogLevel.Information, "Contract {ContractId}: {Change} by {Actor}")]
    public static partial void ContractChanged(ILogger logger, long contractId, string change, string actor);

    [LoggerMessage(6153, LogLevel.Information, "Contract {ContractId}: test mail {MailId} queued for {Recipient}")]
    public static partial void TestMailQueued(ILogger logger, long contractId, long mailId, string recipient);
}
