using System.Net;
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
/// by <see cref="ISiteDirectory"/>, client id = site id); the controller account has full access. The per-site ACL
/// (<see cref="SiteAccessPolicy"/>) is enforced on every publish, will and subscription.
/// </summary>
internal sealed class EmbeddedMqttBroker(
    IOptions<ControllerMqttOptions> options,
    ISiteDirectory directory,
    ControllerNode node,
    AclViolationReporter aclReporter,
    IngestMetrics metrics,
    IServiceProvider services,
    ILogger<EmbeddedMqttBroker> logger) : IControllerMqttLink, IAsyncDisposable
{
    private const string SiteKey = "gateway.site";
    private readonly ControllerMqttOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private MqttServer? _server;
    private AgentMessageRouter? _router;
    private X509Certificate2? _certificate;

    public string NodeId => node.Id;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _router = services.GetRequiredService<AgentMessageRouter>();
        var builder = new MqttServerFactory().CreateServerOptionsBuilder();
        var endpoints = new List<string>();
        if (ControllerMqttOptions.TryParseEndpoint(_options.Listen, out var plain))
        {
            builder.WithDefaultEndpoint().WithDefaultEndpointPort(plain.Port);
            endpoints.Add("mqtt://" + plain);
        }
        else
        {
            builder.WithoutDefaultEndpoint();
        }

        if (ControllerMqttOptions.TryParseEndpoint(_options.TlsListen, out var tls))
        {
            _certificate = LoadCertificate();
            builder.WithEncryptedEndpoint().WithEncryptedEndpointPort(tls.Port).WithEncryptionCertificate(_certificate);
            endpoints.Add("mqtts://" + tls);
        }

        var serverOptions = builder.Build();
        Bind(serverOptions.DefaultEndpointOptions, plain);
        Bind(serverOptions.TlsEndpointOptions, tls);
        serverOptions.DefaultEndpointOptions.NoDelay = true;
        serverOptions.TlsEndpointOptions.NoDelay = true;

        var server = new MqttServerFactory().CreateMqttServer(serverOptions);
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
            new InjectedMqttApplicationMessage(message) { SenderClientId = node.Id, SenderUserName = _options.ControllerUsername },
            cancellationToken);
    }

    private static void Bind(MqttServerTcpEndpointBaseOptions endpoint, IPEndPoint address)
    {
        // Listen on exactly the configured address (MQTTnet otherwise adds [::]:port next to an IPv4 address).
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            endpoint.BoundInterNetworkV6Address = address.Address;
            endpoint.BoundInterNetworkAddress = IPAddress.None;
        }
        else
        {
            endpoint.BoundInterNetworkAddress = address.Address;
            endpoint.BoundInterNetworkV6Address = IPAddress.None;
        }
    }

    private X509Certificate2 LoadCertificate()
    {
        var file = _options.TlsCertificateFile!;
        if (!string.IsNullOrEmpty(_options.TlsKeyFile))
        {
            using var pem = X509Certificate2.CreateFromPemFile(file, _options.TlsKeyFile);
            // SslStream on Linux wants a certificate whose key is not ephemeral: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(file, _options.TlsCertificatePassword);
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
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
                Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "bad controller password");
            }

            return;
        }

        if (!Topics.IsValidSiteId(userName))
        {
            Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "user name is not a site id");
            return;
        }

        // A site connects with client id = site id, so it can never take over another site's session.
        if (!string.Equals(args.ClientId, userName, StringComparison.Ordinal))
        {
            Refuse(args, MqttConnectReasonCode.ClientIdentifierNotValid, "client id must be the site id");
            return;
        }

        if (!await directory.AuthenticateAsync(userName, password, args.CancellationToken).ConfigureAwait(false))
        {
            Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "bad site credentials");
            return;
        }

        args.SessionItems[SiteKey] = userName;
    }

    private void Refuse(ValidatingConnectionEventArgs args, MqttConnectReasonCode reasonCode, string reason)
    {
        args.ReasonCode = reasonCode;
        metrics.ConnectionRejected();
        IngestLog.ConnectionRefused(logger, args.UserName, args.ClientId, args.RemoteEndPoint?.ToString(), reason);
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (args.SessionItems?[SiteKey] is string siteId && !SiteAccessPolicy.MayPublish(siteId, message.Topic))
        {
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            aclReporter.Report(siteId, "publish", message.Topic);
            return;
        }

        // Not the connection's token: a message already received is ingested even if its sender disconnects while
        // the ingest queue is full (only stopping the broker abandons it).
        await _router!.RouteAsync(message.Topic, message.Payload, retained: false, message.CorrelationData, _stopping.Token).ConfigureAwait(false);
    }

    private async Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        if (args.SessionItems?[SiteKey] is not string siteId)
        {
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

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
