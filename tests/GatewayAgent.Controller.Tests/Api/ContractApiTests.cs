using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Api;

[Trait("Ring", "integration")]
public class ContractApiTests(ControllerApiFactory factory) : IClassFixture<ControllerApiFactory>
{
    private static readonly Uri Contracts = new("/api/contracts", UriKind.Relative);

    private static Uri At(string path) => new(path, UriKind.Relative);

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef")]
    public async Task The_api_refuses_calls_without_a_valid_key(string? key)
    {
        using var client = factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        var response = await client.GetAsync(Contracts);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(At("/openapi/v1.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06100"))).StatusCode);
    }

    [Fact]
    public async Task Metrics_are_open_and_name_the_controller_series()
    {
        using var client = factory.CreateClient();
        var text = await client.GetStringAsync(At("/metrics"));
        Assert.Contains("gateway_controller_probes_total{outcome=\"missed\"}", text, StringComparison.Ordinal);
        Assert.Contains("gateway_controller_outbox_pending", text, StringComparison.Ordinal);
        Assert.Contains("gateway_controller_contracts_detector{state=\"failed\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_contract_endpoints()
    {
        using var client = factory.CreateOperatorClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(At("/openapi/v1.json")));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/contracts/{id}/forwarding/start", out _));
        Assert.True(paths.TryGetProperty("/api/contracts/{id}/test-mail", out _));
    }

    [Fact]
    public async Task A_contract_goes_through_failure_and_recovery_visible_in_the_api()
    {
        using var client = factory.CreateOperatorClient();
        var response = await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06101", autoStart: true, autoStop: true));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var contract = (await response.Content.ReadFromJsonAsync<ContractRecord>())!;
        Assert.Equal($"/api/contracts/{contract.Id}", response.Headers.Location?.OriginalString);

        var sink = factory.Services.GetRequiredService<IProbeOutcomeSink>();
        for (var i = 0; i < 4; i++)
        {
            factory.Time.Advance(TimeSpan.FromMinutes(1));
            await sink.RecordAsync(new ProbeRecord(contract.Id, ProbeOutcome.Missed, null, "timeout", factory.Time.GetUtcNow(), null), CancellationToken.None);
        }

        using var status = JsonDocument.Parse(await client.GetStringAsync(At($"/api/contracts/{contract.Id}/status")));
        Assert.Equal("failed", status.RootElement.GetProperty("detector").GetProperty("state").GetString());
        Assert.True(status.RootElement.GetProperty("forwarding").GetProperty("on").GetBoolean());
        Assert.Equal("auto-start", status.RootElement.GetProperty("forwarding").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("live").ValueKind); // no ingest registry in this host

        using var probes = JsonDocument.Parse(await client.GetStringAsync(At($"/api/contracts/{contract.Id}/probes?limit=2")));
        Assert.Equal(2, probes.RootElement.GetArrayLength());
        Assert.Equal("Missed", probes.RootElement[0].GetProperty("outcome").GetString());

        using var transitions = JsonDocument.Parse(await client.GetStringAsync(At($"/api/contracts/{contract.Id}/transitions")));
        Assert.Equal("no-answer", transitions.RootElement[0].GetProperty("cause").GetString());

        using var mails = JsonDocument.Parse(await client.GetStringAsync(At($"/api/contracts/{contract.Id}/mails")));
        Assert.Equal(2, mails.RootElement.GetArrayLength());
        Assert.All(mails.RootElement.EnumerateArray(), m => Assert.Equal(("Failure", "pending"), (m.GetProperty("kind").GetString(), m.GetProperty("status").GetString())));

        using var audit = JsonDocument.Parse(await client.GetStringAsync(At($"/api/contracts/{contract.Id}/forwarding/audit")));
        Assert.Equal("detector", audit.RootElement[0].GetProperty("actor").GetString());

        var metrics = await factory.CreateClient().GetStringAsync(At("/metrics"));
        Assert.Matches(@"gateway_controller_contracts_detector\{state=""failed""\} [1-9]", metrics);
        Assert.Matches(@"gateway_controller_outbox_pending [1-9]", metrics);
    }

    [Fact]
    public async Task Manual_start_and_stop_are_audited_with_the_operator()
    {
        using var client = factory.CreateOperatorClient();
        var contract = (await (await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06102"))).Content.ReadFromJsonAsync<ContractRecord>())!;

        var started = await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/start"), new { note = "customer phoned" });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var stopped = await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/stop"), new { operatorOverride = true, note = "owner of 09012345678 asked" });
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);

        var audit = await client.GetFromJsonAsync<List<JsonElement>>(At($"/api/contracts/{contract.Id}/forwarding/audit"));
        Assert.Equal(
            [("operator-hold", "tester", false), ("operator-override", "tester", false), ("manual", "tester", true)],
            audit!.Select(a => (a.GetProperty("reason").GetString(), a.GetProperty("actor").GetString(), a.GetProperty("on").GetBoolean())));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync(At("/api/contracts/999999/forwarding/start"), new { })).StatusCode);
    }

    [Fact]
    public async Task A_test_mail_is_queued_for_the_given_address_FN_8()
    {
        using var client = factory.CreateOperatorClient();
        var contract = (await (await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06103"))).Content.ReadFromJsonAsync<ContractRecord>())!;

        var response = await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/test-mail"), new { address = "new.person@example.jp" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mails = await client.GetFromJsonAsync<List<JsonElement>>(At($"/api/contracts/{contract.Id}/mails"));
        var mail = Assert.Single(mails!);
        Assert.Equal(("Test", "new.person@example.jp", "pending"), (mail.GetProperty("kind").GetString(), mail.GetProperty("recipient").GetString(), mail.GetProperty("status").GetString()));
        Assert.Contains(factory.Composer.Composed, f => f.Kind == MailKind.Test && f.ContractNumber == "0610345678" && f.HolderName == "株式会社テスト");
    }

    [Fact]
    public async Task Partial_updates_change_one_part_and_keep_the_rest()
    {
        using var client = factory.CreateOperatorClient();
        var contract = (await (await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06104"))).Content.ReadFromJsonAsync<ContractRecord>())!;

        // Move the monitoring number to the contract number: its destination must go first (BF-14), then the probe follows (FN-2).
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations/0610445678"))).StatusCode);
        var moved = await client.PutAsJsonAsync(At($"/api/contracts/{contract.Id}/numbers"), new { monitoringNumber = "061-044-5678" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var stored = await moved.Content.ReadFromJsonAsync<ContractRecord>();
        Assert.Equal(("0610445678", "sip:0610445678@192.0.2.10:5060"), (stored!.MonitoringNumber, stored.ProbeTarget));

        var set = await client.PutAsJsonAsync(At($"/api/contracts/{contract.Id}/destinations/0610445670"), new { destination = "03-9999-0000" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var replaced = await client.PutAsJsonAsync(At($"/api/contracts/{contract.Id}/destinations/0610445670"), new { destination = "03-9999-0001" });
        // BF-16: the answer shows the destination as registered, in its normalised form (03-9999-0001 → 0399990001).
        var final = await replaced.Content.ReadFromJsonAsync<ContractRecord>();
        Assert.Equal(
            [new DestinationEntry("0610445679", "0667891234"), new DestinationEntry("0610445670", "0399990001")],
            final!.Destinations);
        Assert.Equal(3, final.Notification.Recipients.Count);
        Assert.True(final.HasSitePassword);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(At($"/api/contracts/{contract.Id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(At($"/api/contracts/{contract.Id}"))).StatusCode);
    }

    [Fact]
    public async Task The_number_list_is_searchable_BF_13()
    {
        using var client = factory.CreateOperatorClient();
        var contract = (await (await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06105"))).Content.ReadFromJsonAsync<ContractRecord>())!;

        var all = await client.GetFromJsonAsync<List<NumberEntry>>(At($"/api/contracts/{contract.Id}/numbers"));
        Assert.Equal(
            [
                new NumberEntry("0610545678", true, false, "09012345678"),
                new NumberEntry("0610545679", false, false, "0667891234"),
                new NumberEntry("0610545670", false, true, null),
            ],
            all);
        var found = await client.GetFromJsonAsync<List<NumberEntry>>(At($"/api/contracts/{contract.Id}/numbers?search=061-05*9"));
        Assert.Equal(["0610545679"], found!.Select(n => n.Number));
    }
}
