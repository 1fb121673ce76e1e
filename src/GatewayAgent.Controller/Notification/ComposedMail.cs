namespace GatewayAgent.Controller.Notification;

/// <summary>A rendered mail (subject and plain-text body), stored in the outbox as is.</summary>
public sealed record ComposedMail(string Subject, string Body);
