using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using GatewayAgent.Contracts;
using GatewayAgent.EndToEnd.Tests.Hosts;
using Microsoft.Data.Sqlite;

namespace GatewayAgent.EndToEnd.Tests;

/// <summary>
/// Issue 12 item 9, measured as the issue did: a real agent replays 400 spooled power events to a real controller (the
/// embedded broker), the controller is killed with kill -9 in the middle, then started again. The agent deletes an event
/// from its spool only on PUBACK, and the broker now sends the PUBACK only after the event is committed: after the
/// restart every one of the 400 is stored (before the fix: 206 of 400 in the issue's run).
/// </summary>
[Trait("Ring", "e2e")]
public sealed class IngestCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Events = 400;
    private const string ApiKey = "crash-test-operator-key-0123456789";
    private const string SiteId = "crash-site";
    private const string SitePassword = "crash-site-password-1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ingest-crash-");
    private readonly int _httpPort = FreePort.Next();
    private readonly int _mqttPort = FreePort.Next();
    private readonly List<ChildProcess> _children = [];

    private string ControllerData => Path.Combine(_work.FullName, "controller");

    private string Spool => Path.Combine(_work.FullName, "agent", "spool");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var child in _children)
        {
            await child.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Kill9_of_the_controller_during_a_replay_loses_no_event_the_agent_was_acknowledged()
    {
        var controller = await StartControllerAsync();
        await CreateSiteAsync();
        WriteSpool();

        // The store stalls (a lab controller under load, a slow disk): this connection holds SQLite's write lock, so the
        // controller's event writes wait. Before the fix the broker acknowledged each event once it was queued.
        using var stall = Open(SqliteOpenMode.ReadWrite);
        using var hold = stall.BeginTransaction(deferred: false);
        var agent = await StartAgentAsync();
        await controller.WaitForLineAsync($"Site {SiteId} online", timeout: Bound);
        await Wait.PollAsync(HealthAsync, health => health.Contains("while a write waits", StringComparison.Ordinal), Bound,
            "the controller's first event write has waited past MaxCommitAge");
        await ProcessStop.SignalAsync(controller.ProcessId, "KILL");
        await controller.WaitForExitAsync(Bound);
        hold.Rollback();
        output.WriteLine($"acknowledged to the agent when the controller was killed: through seq {AckedThrough()}");

        await StartControllerAsync();
        // The agent reconnects on its own and replays what was not acknowledged; its spool empties.
        await Wait.PollAsync(() => Task.FromResult(AckedThrough()), acked => acked >= Events, Bound,
            $"the agent's spool is delivered (stored {StoredSeqs().Count}); agent output:\n{agent.Output}");
        var stored = StoredSeqs();
        output.WriteLine($"stored after the restart: {stored.Count} of {Events}");
        Assert.Equal(Enumerable.Range(1, Events).Select(i => (long)i), stored);
    }

    private async Task<string> HealthAsync()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_httpPort}/healthz"));
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<ChildProcess> StartControllerAsync()
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _work.FullName };
        foreach (var argument in (string[])
        [
            HostExecutables.Controller,
            $"--Controller:Urls=http://127.0.0.1:{_httpPort}",
            $"--Controller:Mqtt:Listen=127.0.0.1:{_mqttPort}",
            $"--Controller:DataDirectory={ControllerData}",
            $"--Controller:Api:Keys:0={ApiKey}",
            "--Controller:Storage:BusyTimeout=00:01:00",
            "--Controller:Storage:MaxCommitAge=00:00:01",
            // The mail dispatcher's claims are the only periodic writes: once at start, so the write that waits is an event's.
            "--Controller:Mail:PollInterval=01:00:00",
        ])
        {
            info.ArgumentList.Add(argument);
        }

        var child = await ChildProcess.StartAsync(info, line => line.Contains("Embedded MQTT broker listening", StringComparison.Ordinal), Bound);
        _children.Add(child);
        // The broker's listener may be up before Kestrel's: wait until the HTTP API answers too (any status).
        await Wait.PollAsync(
            async () =>
            {
                try
                {
                    return await HealthAsync();
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            health => health is not null,
            Bound,
            $"the controller's HTTP API on port {_httpPort} answering; controller output:\n{child.Output}");
        return child;
    }

    private async Task<ChildProcess> StartAgentAsync()
    {
        var sipPort = LabHarness.FreeRange(1);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _work.FullName };
        foreach (var argument in (string[])
        [
            HostExecutables.Agent,
            "--Agent:Board:Kind=sim",
            $"--Agent:Sip:Listen:0=udp:127.0.0.1:{sipPort}",
            $"--Agent:Sip:Listen:1=tcp:127.0.0.1:{sipPort}",
            $"--Agent:LocalControl:Socket={Path.Combine(_work.FullName, "agent", "control.sock")}",
            $"--Agent:Telemetry:SpoolDirectory={Spool}",
            $"--Agent:SiteId={SiteId}",
            "--Agent:Mqtt:Host=127.0.0.1",
            $"--Agent:Mqtt:Port={_mqttPort}",
            $"--Agent:Mqtt:Username={SiteId}",
            $"--Agent:Mqtt:Password={SitePassword}",
            "--Agent:Mqtt:ReconnectMin=00:00:00.200",
            "--Agent:Mqtt:ReconnectMax=00:00:01",
        ])
        {
            info.ArgumentList.Add(argument);
        }

        var child = await ChildProcess.StartAsync(info);
        _children.Add(child);
        return child;
    }

    private async Task CreateSiteAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}") };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var contract = new ContractDefinition
        {
            ContractNumber = "0312345678",
            AdditionalNumbers = ["0312345670"],
            Channels = 2,
            MonitoringNumber = "0312345670",
            ProbeTarget = "sip:192.0.2.10:5060",
            SiteId = SiteId,
            SitePassword = SitePassword,
            Destinations = [],
            Notification = new NotificationSettings
            {
                HolderName = "株式会社テスト",
                SiteInformation = "停電試験",
                Recipients = [new RecipientEntry("ops@example.jp", false)],
                ServiceOn = false,
            },
        };
        using var response = await http.PostAsJsonAsync(new Uri("/api/contracts", UriKind.Relative), contract, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What an agent leaves in its spool after an outage: 400 power events, none delivered.</summary>
    private void WriteSpool()
    {
        Directory.CreateDirectory(Spool);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var lines = Enumerable.Range(1, Events).Select(seq => JsonSerializer.Serialize(
            new AgentEvent
            {
                Id = Guid.CreateVersion7(start.AddSeconds(seq)).ToString("N"),
                Seq = seq,
                Ts = start.AddSeconds(seq),
                Type = seq % 2 == 1 ? EventTypes.PowerLost : EventTypes.PowerRestored,
                Detail = "outage replay",
            },
            ContractsJsonContext.Default.AgentEvent));
        File.WriteAllLines(Path.Combine(Spool, 1L.ToString("D19", CultureInfo.InvariantCulture) + ".seg"), lines);
    }

    private long AckedThrough()
    {
        var cursor = Path.Combine(Spool, "cursor.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(cursor));
            return document.RootElement.GetProperty("ackedThrough").GetInt64();
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return 0;
        }
    }

    private SqliteConnection Open(SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(ControllerData, "controller.db"),
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    private List<long> StoredSeqs()
    {
        using var connection = Open(SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT seq FROM site_events WHERE site_id = $site ORDER BY seq";
        command.Parameters.AddWithValue("$site", SiteId);
        using var reader = command.ExecuteReader();
        var seqs = new List<long>();
        while (reader.Read())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }
}
