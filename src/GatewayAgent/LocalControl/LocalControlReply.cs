using System.Text.Json;

namespace GatewayAgent.LocalControl;

/// <summary>One reply line: {"ok":true,"data":{...}} or {"ok":false,"error":"..."}.</summary>
public sealed record LocalControlReply
{
    public required bool Ok { get; init; }
    public string? Error { get; init; }
    public string? Message { get; init; }
    public JsonElement? Data { get; init; }

    public static LocalControlReply Fail(string error) => new() { Ok = false, Error = error };

    public static LocalControlReply Done(string? message = null) => new() { Ok = true, Message = message };
}
