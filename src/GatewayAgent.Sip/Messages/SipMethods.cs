namespace GatewayAgent.Sip.Messages;

/// <summary>Method names used by the stack.</summary>
public static class SipMethods
{
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Info = "INFO";
    public const string Invite = "INVITE";
    public const string Message = "MESSAGE";
    public const string Notify = "NOTIFY";
    public const string Options = "OPTIONS";
    public const string Prack = "PRACK";
    public const string Register = "REGISTER";
    public const string Update = "UPDATE";
}
