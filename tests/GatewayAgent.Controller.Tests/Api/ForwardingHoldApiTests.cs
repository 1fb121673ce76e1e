using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>BF-11 through the API: the operator's stop holds the switch, a start is a 409 naming the hold, release is audited.</summary>
[Trait("Ring", "integration")]
public class ForwardingHoldApiTests(ControllerApiFactory factory) : IClassFixture<ControllerApiFactory>
{
    private static readonly Uri Contracts = new("/api/contracts", UriKind.Relative);

    private static Uri At(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task An_operator_stop_holds_until_released_and_a_start_meanwhile_is_a_409_BF_11()
    {
        using var client = factory.CreateOperatorClient();
        var contract = (await (await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06201"))).Content.ReadFromJsonAsync<ContractRecord>())!;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/start"), new { note = "customer phoned" })).StatusCode);
        factory.Time.Advance(TimeSpan.FromMinutes(2));
        var heldAt = factory.Time.GetUtcNow();

        var stopped = await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/stop"), new { operatorOverride = true, note = "owner of 09012345678 asked" });

        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        var view = (await stopped.Content.ReadFromJsonAsync<ForwardingView>())!;
        Assert.Equal((false, true, heldAt, "tester", "owner of 09012345678 asked"), (view.On, view.Held, view.HeldSince, view.HeldBy, view.HeldNote));
        var record = await client.GetFromJsonAsync<ContractRecord>(At($"/api/contracts/{contract.Id}"));
        Assert.Equal(view, record!.Forwarding); // the contract record shows the hold too
        using (var status = JsonDocument.Parse(await client.GetStringAsync(At($"/api/contracts/{contract.Id}/status"))))
        {
            Assert.True(status.RootElement.GetProperty("forwarding").GetProperty("held").GetBoolean());
        }

        // The customer's (or anyone's) start while held: 409, naming the rule, since when and why.
        var refused = await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/start"), new { note = "customer insists" });
        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, $"expected 409, got {(int)refused.StatusCode}: {text}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(text))
        {
            Assert.Equal("BF-11", problem.RootElement.GetProperty("rule").GetString());
            Assert.Equal("urn:gateway-agent:rule:BF-11", problem.RootElement.GetProperty("type").GetString());
            Assert.Equal("tester", problem.RootElement.GetProperty("heldBy").GetString());
            Assert.Contains(
                $"held by the operator since {heldAt.ToString("u", CultureInfo.InvariantCulture)}: owner of 09012345678 asked",
                problem.RootElement.GetProperty("detail").GetString(),
                StringComparison.Ordinal);
        }

        // Release: the note is required; the release is audited and leaves forwarding off.
        await ContractApiValidationTests.AssertProblemAsync(await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/release"), new { }), "note", "BF-11");
        var released = await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/release"), new { note = "owner withdrew the request" });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal((false, false), (await released.Content.ReadFromJsonAsync<ForwardingView>()) is { } r ? (r.On, r.Held) : default);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/start"), new { note = "customer phoned" })).StatusCode);

        var audit = await client.GetFromJsonAsync<List<JsonElement>>(At($"/api/contracts/{contract.Id}/forwarding/audit"));
        Assert.Equal(
            [("manual", true), ("operator-release", false), ("operator-hold", false), ("operator-override", false), ("manual", true)],
            audit!.Select(a => (a.GetProperty("reason").GetString(), a.GetProperty("on").GetBoolean())));
        Assert.Equal("owner withdrew the request", audit![1].GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync(At("/api/contracts/999999/forwarding/release"), new { note = "x" })).StatusCode);
    }

    [Fact]
    public async Task A_failure_while_held_sends_the_mails_keeps_forwarding_off_and_audits_the_suppressed_auto_start_BF_11_FN_6()
    {
        using var client = factory.CreateOperatorClient();
        var contract = (await (await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06202", autoStart: true))).Content.ReadFromJsonAsync<ContractRecord>())!;
        // Forwarding is off: the operator's stop still holds it.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/stop"), new { operatorOverride = true, note = "owner asked" })).StatusCode);

        var sink = factory.Services.GetRequiredService<IProbeOutcomeSink>();
        for (var i = 0; i < 4; i++)
        {
            factory.Time.Advance(TimeSpan.FromMinutes(1));
            await sink.RecordAsync(new ProbeRecord(contract.Id, ProbeOutcome.Missed, null, "timeout", factory.Time.GetUtcNow(), null), CancellationToken.None);
        }

        var stored = await client.GetFromJsonAsync<ContractRecord>(At($"/api/contracts/{contract.Id}"));
        Assert.Equal(("failed", false, true), (stored!.Detector.State, stored.Forwarding.On, stored.Forwarding.Held));
        var mails = await client.GetFromJsonAsync<List<JsonElement>>(At($"/api/contracts/{contract.Id}/mails"));
        Assert.Equal(2, mails!.Count(m => m.GetProperty("kind").GetString() == "Failure"));
        var audit = await client.GetFromJsonAsync<List<JsonElement>>(At($"/api/contracts/{contract.Id}/forwarding/audit"));
        Assert.Equal(
            [("auto-start-suppressed", "detector"), ("operator-hold", "tester")],
            audit!.Select(a => (a.GetProperty("reason").GetString(), a.GetProperty("actor").GetString())));
    }
}
