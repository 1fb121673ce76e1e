using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace GatewayAgent.Controller.Tests.Hosting;

/// <summary>The real gateway-controller executable: configuration layering, listen URL, exit code 2 on bad options.</summary>
[Trait("Ring", "integration")]
public partial class ControllerExecutableTests
{
    private static readonly string ControllerDll = Path.Combine(AppContext.BaseDirectory, "gateway-controller.dll");

    private static ProcessStartInfo StartInfo(string dataDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(ControllerDll);
        start.ArgumentList.Add($"--Controller:DataDirectory={dataDirectory}");
        start.ArgumentList.Add($"--Controller:Mqtt:Listen=127.0.0.1:{FreePort.Next()}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        return start;
    }

    [Fact]
    public async Task Invalid_options_exit_2_naming_the_key()
    {
        var directory = Directory.CreateTempSubdirectory("controller-exe-").FullName;
        try
        {
            using var process = Process.Start(StartInfo(directory, "--Controller:Detection:FailureThreshold=0", "--Controller:Urls=http://127.0.0.1:0"))!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(2, process.ExitCode);
            Assert.Contains("gateway-controller: invalid configuration:", await error, StringComparison.Ordinal);
            Assert.Contains("Controller:Detection:FailureThreshold must be between 1 and 100", await error, StringComparison.Ordinal);
            _ = await output;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Serves_on_controller_urls_with_a_key_from_a_gateway_environment_variable()
    {
        var directory = Directory.CreateTempSubdirectory("controller-exe-").FullName;
        var start = StartInfo(directory, "--Controller:Urls=http://127.0.0.1:0");
        start.Environment["GATEWAY_Controller__Api__Keys__0"] = "env-key-0123456789abcdef";
        using var process = Process.Start(start)!;
        try
        {
            var error = process.StandardError.ReadToEndAsync();
            string? url = null;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (url is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    url = ListeningOn().Match(line) is { Success: true } match ? match.Groups[1].Value : null;
                }
            }

            Assert.True(url is not null, $"no listening line; stderr: {(process.HasExited ? await error : "")}");
            _ = process.StandardOutput.ReadToEndAsync();
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal("ok", await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/contracts", UriKind.Relative))).StatusCode);
            client.DefaultRequestHeaders.Add("X-Api-Key", "env-key-0123456789abcdef");
            Assert.Equal("[]", await client.GetStringAsync(new Uri("/api/contracts", UriKind.Relative)));
            Assert.True(File.Exists(Path.Combine(directory, "controller.db")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
