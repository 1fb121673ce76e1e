namespace GatewayAgent.Contracts.Api;

/// <summary>202 answer of the test mail: the outbox row to watch in /mails.</summary>
public sealed record TestMailQueued(long MailId, string Recipient);
