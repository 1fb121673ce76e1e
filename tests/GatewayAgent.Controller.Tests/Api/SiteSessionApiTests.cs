using System.Net;
using System.Net.Http.Json;
using GatewayAgent.Controller.Tests.Ingest;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// Issue 12 item 8 through the real host: a site's live MQTT session on the embedded broker ends when the operator sets
/// its password or deletes its contract, and only what is stored now logs in again. A real MQTTnet client on loopback.
/// </summary>
[Trait("Ring", "integration")]
public sealed class SiteSessionApiTests : IDisposable
{
    private readonly ControllerApiFactory _factory = new();
    private readonly int _mqttPort = FreePort.Next();

    public SiteSessionApiTests() => _factory.Settings["Controller:Mqtt:Listen"] = $"127.0.0.1:{_mqttPort}";

    public void Dispose() => _factory.Dispose();

    private static Task WaitDisconnectedAsync(SimulatedSite site) =>
        Wait.PollAsync(() => Task.FromResult(site.IsConnected), connected => !connected, Wait.DefaultBound, $"{site.SiteId} disconnected");

    [Fact]
    public async Task Setting_the_site_password_ends_the_live_session_and_only_the_new_one_logs_in()
    {
        using var client = _factory.CreateOperatorClient();
        var created = await client.PostAsJsonAsync(new Uri("/api/contracts", UriKind.Relative), ContractSamples.Monitored("06401"));
        var contract = (await created.Content.ReadFromJsonAsync<ContractRecord>())!;
        await using var site = await SimulatedSite.ConnectAsync(_mqttPort, "site-06401", "site-password-1");

        var changed = await client.PutAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/site", UriKind.Relative), new SiteRequest("site-06401", "site-password-2"));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        await WaitDisconnectedAsync(site);
        var old = await Assert.ThrowsAsync<ConnectRefusedException>(() => SimulatedSite.ConnectAsync(_mqttPort, "site-06401", "site-password-1"));
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.BadUserNameOrPassword, old.ResultCode);
        await using var again = await SimulatedSite.ConnectAsync(_mqttPort, "site-06401", "site-password-2");
        Assert.True(again.IsConnected);
    }

    [Fact]
    public async Task Deleting_the_contract_ends_its_sites_live_session()
    {
        using var client = _factory.CreateOperatorClient();
        var created = await client.PostAsJsonAsync(new Uri("/api/contracts", UriKind.Relative), ContractSamples.Monitored("06402"));
        var contract = (await created.Content.ReadFromJsonAsync<ContractRecord>())!;
        await using var site = await SimulatedSite.ConnectAsync(_mqttPort, "site-06402", "site-password-1");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(new Uri($"/api/contracts/{contract.Id}", UriKind.Relative))).StatusCode);

        await WaitDisconnectedAsync(site);
    }
}
