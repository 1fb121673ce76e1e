using GatewayAgent.Contracts;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Status;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Answering;

/// <summary>Keeps the agent registered when "Agent:Sip:Register:Registrar" is set; does nothing otherwise.</summary>
public sealed class RegistrationService : BackgroundService
{
    private readonly SipTransactionLayer _layer;
    private readonly RegistrationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly AgentStatus _status;
    private readonly AgentEventHub _events;

    public RegistrationService(SipTransactionLayer layer, IOptions<RegistrationOptions> options, TimeProvider time, ILoggerFactory loggers,
        AgentStatus status, AgentEventHub events)
    {
        _status = status;
        _events = events;
        _layer = layer;
        _options = options.Value;
        _time = time;
        _loggers = loggers;
    }

    /// <summary>The client while registration is enabled and running (for status reporting).</summary>
    public RegistrationClient? Client { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.IsEnabled)
        {
            return;
        }

        // Listeners are opened by SipAgentService.StartAsync before background services run.
        Client = new RegistrationClient(_layer, _options, _time, _loggers.CreateLogger<RegistrationClient>());
        _status.Registration = "unregistered";
        Client.StatusChanged += OnStatusChanged;
        await Client.RunAsync(stoppingToken).ConfigureAwait(false);
    }

    private void OnStatusChanged(RegistrationStatus status)
    {
        var was = _status.Registration;
        var now = status.State switch
        {
            RegistrationState.Registered => "registered",
            RegistrationState.Failed => "failed",
            RegistrationState.Registering => was,
            _ => "unregistered",
        };
        _status.Registration = now;
        if (now == was)
        {
            return;
        }

        if (now == "registered")
        {
            _events.Raise(EventTypes.SipRegistered, status.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (was == "registered")
        {
            _events.Raise(EventTypes.SipUnregistered, status.Error);
        }
    }
}
