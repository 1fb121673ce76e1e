using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Conformance;

/// <summary>One agent (test defaults) that every RFC 4475 message of <see cref="Rfc4475OverUdpTests"/> is sent to.</summary>
public sealed class Rfc4475AgentFixture : IAsyncLifetime
{
    private AgentProcess? _agent;

    public AgentProcess Agent => _agent ?? throw new InvalidOperationException("the agent is not started");

    public async Task InitializeAsync() => _agent = await AgentProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }
    }
}
