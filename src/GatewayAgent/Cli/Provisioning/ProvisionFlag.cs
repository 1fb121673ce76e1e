namespace GatewayAgent.Cli.Provisioning;

/// <summary>One flag of "gateway-agent provision": the configuration key it writes and its help line.</summary>
/// <param name="Name">The flag without dashes ("mqtt-port").</param>
/// <param name="Key">The configuration key it sets, or null for flags about the command itself.</param>
/// <param name="Value">The value's placeholder in help ("PORT"), or null for a switch.</param>
/// <param name="Repeatable">May be given more than once; each value becomes one array element.</param>
public sealed record ProvisionFlag(string Name, string? Key, string? Value, bool Repeatable, string Help);
