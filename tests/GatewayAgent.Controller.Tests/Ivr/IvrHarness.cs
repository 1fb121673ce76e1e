using System.Globalization;
using System.Net;
using GatewayAgent.Controller.Ivr;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>
/// The controller's IVR service as AddIvr() composes it from configuration, on a loopback UDP port, with the account
/// store's test double and test prompts: each prompt is 3 packets (60 ms) of one byte value of its own
/// (<see cref="PromptByte"/>), so the caller can tell from the RTP it receives which prompt it heard, and all of it.
/// </summary>
internal sealed class IvrHarness : IAsyncDisposable
{
    public const string AccessNumber = "0120555555";
    public const int PromptPackets = 3;

    private readonly ServiceProvider _services;
    private readonly string _promptDirectory;

    private IvrHarness(ServiceProvider services, IvrService service, LogCapture log, string promptDirectory)
    {
        _services = services;
        Service = service;
        Log = log;
        _promptDirectory = promptDirectory;
    }

    public IvrService Service { get; }

    public LogCapture Log { get; }

    public IPEndPoint SipEndPoint => Service.LocalEndPoints[0].EndPoint;

    /// <summary>The byte every sample of <paramref name="prompt"/>'s test audio has.</summary>
    public static byte PromptByte(IvrPrompt prompt) => (byte)(0x20 + (int)prompt);

    public static async Task<IvrHarness> StartAsync(
        ITestOutputHelper output, ITemporaryPasswordIssuer issuer, TimeSpan? interDigitTimeout = null, string trustedEdge = "127.0.0.1")
    {
        var prompts = Directory.CreateTempSubdirectory("ivr-prompts-").FullName;
        foreach (var prompt in IvrPrompts.All)
        {
            var data = Enumerable.Repeat(PromptByte(prompt), PromptPackets * 160).ToArray();
            await File.WriteAllBytesAsync(Path.Combine(prompts, IvrPrompts.FileName(prompt)), PromptAudioTests.Wav(7, 8000, 1, 8, data));
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Controller:Ivr:Listen:0"] = "udp:127.0.0.1:0",
            ["Controller:Ivr:AccessNumber"] = AccessNumber,
            ["Controller:Ivr:TrustedEdges:0"] = trustedEdge,
            ["Controller:Ivr:PromptDirectory"] = prompts,
            ["Controller:Ivr:InterDigitTimeout"] = (interDigitTimeout ?? TimeSpan.FromSeconds(30)).ToString("c", CultureInfo.InvariantCulture),
            ["Controller:Ivr:Rtp:MinPort"] = "44000",
            ["Controller:Ivr:Rtp:MaxPort"] = "44999",
            ["Controller:Ivr:Rtp:BindAddress"] = "127.0.0.1",
        }).Build();
        var log = new LogCapture(output);
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddProvider(log.CreateProvider()).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton(issuer)
            .AddIvr()
            .BuildServiceProvider();
        var service = services.GetRequiredService<IvrService>();
        await service.StartAsync(CancellationToken.None);
        return new IvrHarness(services, service, log, prompts);
    }

    /// <summary>Waits until the IVR logged that it played <paramref name="prompt"/> in the call, <paramref name="count"/> times.</summary>
    public Task PromptAsync(ScriptedCaller caller, IvrPrompt prompt, int count = 1) =>
        Log.WaitForAsync($"IVR call {caller.CallId}: prompt {IvrPrompts.Name(prompt)}", count);

    public async ValueTask DisposeAsync()
    {
        await Service.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        Directory.Delete(_promptDirectory, recursive: true);
    }
}
