namespace GatewayAgent.Controller.Notification;

/// <summary>How the connection to the relay is secured (Controller:Mail:Smtp:Security).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (a relay on the local network, or the embedded sink).</summary>
    None,

    /// <summary>Plain connect, then STARTTLS (required: fails when the relay does not offer it).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    Tls,
}
