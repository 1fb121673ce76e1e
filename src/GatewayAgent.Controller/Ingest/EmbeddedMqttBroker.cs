using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GatewayAgent.Contracts;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// The default broker: MQTTnet hosted in the controller. Sites authenticate as username = site id (password checked
/// by <see cref="ISiteDirectory"/>, client id = site id); the controller account has full access, from its own client
/// id only. The per-site ACL (<see cref="SiteAccessPolicy"/>) is enforced on every publish, will and subscription, and a
/// session with neither a site nor the controller marker may do nothing (deny by default). The listeners are our own
/// (<see cref="BrokerListener"/>: per-source limits at accept, a packet-size cap); a site whose password changes or
/// whose contract is deleted is disconnected at once (<see cref="SiteSessionRevocations"/>). Issue 12 item 8.
/// </summary>
internal sealed class EmbeddedMqttBroker(
    IOptions<ControllerMqttOptions> options,
    IOptions<BrokerLimitsOptions> limits,
    ISiteDirectory directory,
    ControllerNode node,
    AclViolationReporter aclReporter,
    BrokerAdmission admission,
    SiteSessionRevocations revocations,
    IngestMetrics metrics,
    IServiceProvider services,
    ILogger<EmbeddedMqttBroker> logger) : IControllerMqttLink, IAsyncDisposable
{
    /// <summary>Session item: the site id of a site's session.</summary>
    private const string SiteKey = "gateway.site";

    /// <summary>Session item: set on the controller account's session and on the controller's own injected messages.</summary>
    private const string ControllerKey = "gateway.controller";

    private readonly ControllerMqttOptions _options = options.Value;
    private readonly BrokerLimitsOptions _limits = limits.Value;
    private readonly CancellationTokenSource _stopping = new();
    private MqttServer? _server;
    private AgentMessageRouter? _router;
    private X509Certificate2? _certificate;

    public string NodeId => node.Id;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _router = services.GetRequiredService<AgentMessageRouter>();
        var endpoints = new List<string>();
        var listeners = new List<IMqttServerAdapter>();
        if (ControllerMqttOptions.TryParseEndpoint(_options.Listen, out var plain))
        {
            listeners.Add(new BrokerListener(plain, null, admission, _limits, metrics, logger));
            endpoints.Add("mqtt://" + plain);
        }

        if (ControllerMqttOptions.TryParseEndpoint(_options.TlsListen, out var tls))
        {
            _certificate = LoadCertificate();
            listeners.Add(new BrokerListener(tls, _certificate, admission, _limits, metrics, logger));
            endpoints.Add("mqtts://" + tls);
        }

        // Our listeners replace MQTTnet's TCP adapter (the per-source limits and the packet cap sit under the reader).
        var serverOptions = new MqttServerFactory().CreateServerOptionsBuilder().WithoutDefaultEndpoint().Build();
        var server = new MqttServerFactory().CreateMqttServer(serverOptions, listeners);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await server.StartAsync().ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            server.Dispose();
            // Name the address: the socket error alone does not say which listener failed.
            throw new IOException($"Controller:Mqtt {string.Join(", ", endpoints)}: {ex.Message}", ex);
        }

        _server = server;
        revocations.Revoked += OnRevoked;
        IngestLog.BrokerStarted(logger, string.Join(", ", endpoints));
    }

    public async Task StopAsync()
    {
        var server = _server;
        _server = null;
        if (server is null)
        {
            return;
        }

        revocations.Revoked -= OnRevoked;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
        server.Dispose();
        IngestLog.BrokerStopped(logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _certificate?.Dispose();
        _stopping.Dispose();
    }

    public Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var server = _server ?? throw new InvalidOperationException("The embedded MQTT broker is not running");
        return server.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(message)
            {
                SenderClientId = node.Id,
                SenderUserName = _options.ControllerUsername,
                CustomSessionItems = new Dictionary<string, object> { [ControllerKey] = true },
            },
            cancellationToken);
    }

    private X509Certificate2 LoadCertificate() =>
        Hosting.ServerCertificate.Load(_options.TlsCertificateFile!, _options.TlsKeyFile, _options.TlsCertificatePassword);

    /// <summary>A site's credentials changed or its contract is gone: its live session ends now, not at its next reconnect.</summary>
    private void OnRevoked(string siteId)
    {
        if (_server is not { } server)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var clients = await server.GetClientsAsync().ConfigureAwait(false);
                if (clients.Any(c => string.Equals(c.Id, siteId, StringComparison.Ordinal)))
                {
                    await server.DisconnectClientAsync(siteId, MqttDisconnectReasonCode.NotAuthorized).ConfigureAwait(false);
                    IngestLog.SessionRevoked(logger, siteId);
                    metrics.SessionRevoked();
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or IOException)
            {
                IngestLog.ConnectionEnded(logger, siteId, ex.Message);
            }
        });
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        if (admission.IsLockedOut(args.RemoteEndPoint))
        {
            Refuse(args, MqttConnectReasonCode.ConnectionRateExceeded, "too many failed authentications from this address");
            return;
        }

        var userName = args.UserName;
        var password = args.Password ?? string.Empty;
        if (string.IsNullOrEmpty(userName))
        {
            Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "no user name");
            return;
        }

        if (string.Equals(userName, _options.ControllerUsername, StringComparison.Ordinal))
        {
            if (string.IsNullOrEmpty(_options.ControllerPassword) || !FixedTimeEquals(password, _options.ControllerPassword))
            {
                Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "bad controller password", authenticationFailed: true);
                return;
            }

            // The controller account is bound to its client id ("controller", or "controller." + a tool's name: a dot is
            // never in a site id), so it can never take over a site's session.
            if (!IsControllerClientId(args.ClientId))
            {
                Refuse(args, MqttConnectReasonCode.ClientIdentifierNotValid, $"the controller account must use client id {_options.ControllerClientIdOrDefault}[.name]");
                return;
            }

            args.SessionItems[ControllerKey] = true;
            return;
        }

        if (!Topics.IsValidSiteId(userName))
        {
            Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "user name is not a site id");
            return;
        }

        // A site connects with client id = site id, so it can never take over another site's session, nor the controller's.
        if (!string.Equals(args.ClientId, userName, StringComparison.Ordinal) || IsControllerClientId(args.ClientId))
        {
            Refuse(args, MqttConnectReasonCode.ClientIdentifierNotValid, "client id must be the site id");
            return;
        }

        if (!await directory.AuthenticateAsync(userName, password, args.CancellationToken).ConfigureAwait(false))
        {
            Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "bad site credentials", authenticationFailed: true);
            return;
        }

        args.SessionItems[SiteKey] = userName;
    }

    private void Refuse(ValidatingConnectionEventArgs args, MqttConnectReasonCode reasonCode, string reason, bool authenticationFailed = false)
    {
        if (authenticationFailed)
        {
            admission.AuthenticationFailed(args.RemoteEndPoint);
        }

        args.ReasonCode = reasonCode;
        metrics.ConnectionRejected();
        IngestLog.ConnectionRefused(logger, args.UserName, args.ClientId, args.RemoteEndPoint?.ToString(), reason);
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (args.SessionItems?[SiteKey] is string siteId)
        {
            if (!SiteAccessPolicy.MayPublish(siteId, message.Topic, message.Retain))
            {
                args.ProcessPublish = false;
                args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
                aclReporter.Report(siteId, "publish", message.Topic);
                return;
            }

            if (message.Payload.Length > _limits.MaxEventPayloadBytes && message.Topic == Topics.Events(siteId))
            {
                args.ProcessPublish = false;
                args.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
                IngestLog.EventTooLarge(logger, siteId, (int)message.Payload.Length, _limits.MaxEventPayloadBytes);
                metrics.EventTooLarge();
                return;
            }
        }
        else if (args.SessionItems?[ControllerKey] is not true)
        {
            // Deny by default: a session that is neither a site's nor the controller's publishes nothing.
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            aclReporter.Report(args.ClientId ?? "?", "publish (no session marker)", message.Topic);
            return;
        }

        // Not the connection's token: a message already received is ingested even if its sender disconnects while
        // the ingest queue is full (only stopping the broker abandons it).
        // MQTTnet builds the PUBACK only after this handler returns, so waiting for the commit here means an event is
        // acknowledged only once it is stored (issue 12 item 9): a kill -9 before the commit leaves it unacknowledged
        // in the agent's spool, which sends it again after the restart (stored once: the event id is unique).
        try
        {
            await _router!.RouteAsync(message.Topic, message.Payload, retained: false, message.CorrelationData, _stopping.Token, waitForCommit: true)
                .ConfigureAwait(false);
            if (args.SessionItems?[SiteKey] is string site && message.Topic == Topics.Events(site))
            {
                // The controller is the event's consumer and has stored it: the PUBACK says Success. Passed on to
                // MQTTnet's routing, with no subscriber it would say 0x10 NoMatchingSubscribers, which the agent takes as
                // "dropped by the broker" and sends the event again (issue 14). Events are therefore not forwarded to
                // other clients of this broker (none needs them; state and telemetry still are).
                args.ProcessPublish = false;
                args.Response.ReasonCode = MqttPubAckReasonCode.Success;
            }
        }
        catch (Exception ex) when (ex is IngestWriteException or OperationCanceledException)
        {
            // No PUBACK at all (for every protocol version, unlike a reason code): the connection is closed, the agent
            // keeps the event and publishes it again when it reconnects.
            args.ProcessPublish = false;
            args.CloseConnection = true;
            IngestLog.PublishNotAcknowledged(logger, args.ClientId, message.Topic, ex.Message);
        }
    }

    private async Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        if (args.SessionItems?[SiteKey] is not string siteId)
        {
            if (args.SessionItems?[ControllerKey] is not true)
            {
                // Deny by default: a session that is neither a site's nor the controller's subscribes to nothing.
                args.ProcessSubscription = false;
                args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
                aclReporter.Report(args.ClientId ?? "?", "subscribe (no session marker)", args.TopicFilter.Topic);
            }

            return;
        }

        var filter = args.TopicFilter.Topic;
        long? contractId = null;
        if (filter.StartsWith(Topics.ControllerRoot + "/contracts/", StringComparison.Ordinal))
        {
            contractId = await directory.FindContractAsync(siteId, args.CancellationToken).ConfigureAwait(false);
        }

        if (!SiteAccessPolicy.MaySubscribe(siteId, filter, contractId))
        {
            args.ProcessSubscription = false;
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            aclReporter.Report(siteId, "subscribe", filter);
        }
    }

    private bool IsControllerClientId(string? clientId) =>
        clientId is not null
        && clientId.StartsWith(_options.ControllerClientIdOrDefault, StringComparison.Ordinal)
        && (clientId.Length == _options.ControllerClientIdOrDefault.Length || clientId[_options.ControllerClientIdOrDefault.Length] == '.');

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
