using GatewayAgent.Hosting;
using GatewayAgent.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GatewayAgent.Board;

public static class BoardServiceCollectionExtensions
{
    /// <summary>The board (simulated, Raspberry Pi or libgpiod) from Agent:Board, its monitors and the status LEDs.</summary>
    public static IServiceCollection AddBoard(this IServiceCollection services)
    {
        services.AddOptionsSection<BoardOptions>(BoardOptions.SectionName, static (section, options) => section.Bind(options))
            .ValidateWith(new BoardOptionsValidator()).ValidateOnStart();
        services.AddAgentStatus();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AgentBoard>();
        services.AddSingleton<PowerMonitor>();
        services.AddSingleton<WanMonitor>();
        services.AddSingleton<SimulatedSite>();
        services.AddSingleton<StatusLeds>();
        services.AddSingleton<ButtonActions>();
        services.AddSingleton<ILedTest, BoardLedTest>();
        services.AddHostedService<BoardService>();
        return services;
    }
}
