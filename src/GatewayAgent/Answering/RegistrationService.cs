using GatewayAgent.Sip.Transactions;
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

    public RegistrationService(SipTransactionLayer layer, IOptions<RegistrationOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
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
        await Client.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
