namespace GatewayAgent.Sip.Security;

/// <summary>What happens to a request from a source outside the allowed list.</summary>
public enum SourceRejectMode
{
    /// <summary>Answer 403 Forbidden (statelessly).</summary>
    Reject,

    /// <summary>Drop silently: a scanner learns nothing.</summary>
    Drop,
}
