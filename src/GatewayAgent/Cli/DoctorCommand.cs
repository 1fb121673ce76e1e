using System.Globalization;
using GatewayAgent.Cli.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli;

/// <summary>
/// gateway-agent doctor [--config FILE] [--Section:Key=value ...]: checks the box against the agent's configuration
/// (read from the same sources as "run") — GPIO, I2C sensor, SIP port, broker, clock, spool space — prints a
/// pass/warn/fail table and exits 1 when any check failed, 2 when the configuration cannot be read.
/// </summary>
public static class DoctorCommand
{
    public const string Usage = """
        usage: gateway-agent doctor [--config FILE] [--Agent:Mqtt:ConnectTimeout=00:00:05] [--Section:Key=value ...]
        Checks, with the agent's own configuration: pinmap (the board kind, pin map and every GPIO line the agent
        opens, read by the agent's own loader), gpio (chip and pin map lines), i2c (the pin map's INA219),
        sip-port (each listen address can be bound or is held by the running agent), broker (connect and
        authorize with Agent:Mqtt), clock (NTP synchronized), spool (free space for Agent:Telemetry:SpoolMaxBytes).
        Exit 0: no failure (warnings allowed); 1: a check failed; 2: the configuration cannot be read.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        IConfiguration configuration;
        string source;
        try
        {
            (configuration, source) = Load(args);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"gateway-agent doctor: cannot read the configuration: {ex.Message}");
            return 2;
        }

        var timeout = TimeSpan.TryParse(configuration["Agent:Mqtt:ConnectTimeout"], CultureInfo.InvariantCulture, out var t) && t > TimeSpan.Zero
            ? TimeSpan.FromTicks(Math.Min(t.Ticks, TimeSpan.FromSeconds(10).Ticks))
            : TimeSpan.FromSeconds(5);
        IDoctorCheck[] checks =
        [
            new PinMapCheck(),
            new GpioCheck(),
            new I2cCheck(),
            new SipPortCheck(),
            new BrokerCheck(timeout),
            new ClockCheck(),
            new SpoolSpaceCheck(),
        ];

        var results = new List<DoctorCheckResult> { DoctorCheckResult.Pass("config", source) };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        foreach (var check in checks)
        {
            results.AddRange(await check.RunAsync(configuration, cancel.Token).ConfigureAwait(false));
        }

        Console.Write(DoctorReport.Format(results));
        return results.Any(r => r.Outcome == DoctorOutcome.Fail) ? 1 : 0;
    }

    /// <summary>
    /// The agent's configuration as "run" sees it: appsettings.json beside the binary, environment variables, then
    /// <see cref="AgentConfiguration.AddSources"/> (the --config file or /etc/gateway-agent/agent.json, GATEWAY_
    /// variables, --Section:Key=value).
    /// </summary>
    internal static (IConfiguration Configuration, string Source) Load(string[] args)
    {
        var manager = new ConfigurationManager();
        manager.SetBasePath(AppContext.BaseDirectory);
        manager.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        manager.AddEnvironmentVariables();
        AgentConfiguration.AddSources(manager, args);
        var file = AgentConfiguration.ConfigFile(args);
        var source = file is not null
            ? Path.GetFullPath(file)
            : File.Exists(AgentConfiguration.DefaultConfigFile) ? AgentConfiguration.DefaultConfigFile : "no configuration file (built-in defaults)";
        return (manager, source);
    }
}
