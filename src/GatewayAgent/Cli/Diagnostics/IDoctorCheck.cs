using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>One thing "gateway-agent doctor" verifies on the box, from the agent's own configuration.</summary>
public interface IDoctorCheck
{
    /// <summary>One or more rows (a check may report per listen address, per line...).</summary>
    Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IConfiguration configuration, CancellationToken cancellationToken);
}
