namespace GatewayAgent.Controller.Api;

/// <summary>
/// What an API key may do (issue 12 item 7; the table is in docs/security.md). Each role includes the ones below it.
/// </summary>
public enum ApiRole
{
    /// <summary>GET only, with personal data masked (recipients' addresses, holder names, notes, destination numbers).</summary>
    Read = 1,

    /// <summary>Read, plus the daily work: the forwarding switch, destinations, notification, recipients, screening, test mail.</summary>
    Operate = 2,

    /// <summary>Everything: a contract's creation, replacement and deletion, its numbers, site credentials and probe target.</summary>
    Admin = 3,
}
