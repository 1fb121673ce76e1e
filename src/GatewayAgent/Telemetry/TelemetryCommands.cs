using System.Text.Json;
using GatewayAgent.Contracts;
using GatewayAgent.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Telemetry;

/// <summary>Runs the verbs the controller sends on <c>gw/v1/{siteId}/cmd/{verb}</c> and says how each went.</summary>
public sealed class TelemetryCommands
{
    private readonly IServiceProvider _services;
    private readonly IConfiguration _configuration;
    private readonly IOptionsMonitor<TelemetryOptions> _telemetry;

    public TelemetryCommands(IServiceProvider services, IConfiguration configuration, IOptionsMonitor<TelemetryOptions> telemetry)
    {
        _services = services;
        _configuration = configuration;
        _telemetry = telemetry;
    }

    /// <param name="rebirth">Re-publishes birth and snapshot on the current session (Sparkplug rebirth: same bdSeq).</param>
    public async Task<CommandReply> ExecuteAsync(string verb, Func<CancellationToken, Task> rebirth, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case CommandVerbs.LedTest:
                if (_services.GetService<ILedTest>() is not { } leds)
                {
                    return new CommandReply { Verb = verb, Ok = false, Message = "no LEDs" };
                }

                await leds.RunAsync(cancellationToken).ConfigureAwait(false);
                return new CommandReply { Verb = verb, Ok = true, Message = "LED test done" };

            case CommandVerbs.SelfTest:
                if (_services.GetService<ISelfTest>() is not { } selfTest)
                {
                    return new CommandReply { Verb = verb, Ok = false, Message = "no SIP leg" };
                }

                var result = await selfTest.RunAsync(cancellationToken).ConfigureAwait(false);
                return new CommandReply
                {
                    Verb = verb,
                    Ok = result.Reached,
                    Message = result.Reached ? $"reached in {result.SetupMilliseconds:F1} ms" : result.Error ?? $"final status {result.FinalStatus}",
                    Data = JsonSerializer.SerializeToElement(result, ContractsJsonContext.Default.SelfTestResult),
                };

            case CommandVerbs.Rebirth:
                await rebirth(cancellationToken).ConfigureAwait(false);
                return new CommandReply { Verb = verb, Ok = true, Message = "birth and snapshot republished" };

            case CommandVerbs.ReloadConfig:
                if (_configuration is not IConfigurationRoot root)
                {
                    return new CommandReply { Verb = verb, Ok = false, Message = "configuration cannot be reloaded" };
                }

                root.Reload();
                return new CommandReply
                {
                    Verb = verb,
                    Ok = true,
                    Message = $"reloaded; telemetry interval {_telemetry.CurrentValue.Interval:c}; config {ConfigHash.Compute(_configuration)}",
                };

            default:
                return new CommandReply { Verb = verb, Ok = false, Message = $"unknown verb '{verb}'" };
        }
    }
}
