using System.Globalization;
using GatewayAgent.Contracts;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>The real agent to mosquitto over TLS: the pinned CA alone validates the broker; the site logs in by client certificate.</summary>
[Trait("Ring", "integration")]
public sealed class AgentProcessTlsTests
{
    internal const string Site = "site-a";

    /// <summary>The agent's settings for <paramref name="broker"/>'s TLS listener (also used by the package test of the native executable).</summary>
    internal static Dictionary<string, string> TlsSettings(MosquittoBroker broker, string spool, string caFile, TestCertificates client) => new()
    {
        ["Agent:SiteId"] = Site,
        ["Agent:Mqtt:Host"] = "127.0.0.1",
        ["Agent:Mqtt:Port"] = broker.TlsPort.ToString(CultureInfo.InvariantCulture),
        ["Agent:Mqtt:UseTls"] = "true",
        ["Agent:Mqtt:CaFile"] = caFile,
        ["Agent:Mqtt:CertificateFile"] = client.ClientCertificateFile,
        ["Agent:Mqtt:KeyFile"] = client.ClientKeyFile,
        ["Agent:Mqtt:ReconnectMin"] = "00:00:00.100",
        ["Agent:Mqtt:ReconnectMax"] = "00:00:00.500",
        ["Agent:Telemetry:SpoolDirectory"] = spool,
    };

    [Fact]
    public async Task PinnedCa_AndClientCertificate_Connect()
    {
        using var dir = new TempDirectory();
        var pki = TestCertificates.Create(dir.Path, "good", Site);
        await using var broker = await TelemetryBroker.StartWithTlsAsync(pki);
        await using var controller = await MqttTestClient.ConnectAsync(broker.Port, "controller", TelemetryBroker.ControllerUser, TelemetryBroker.Password,
            filters: "gw/v1/#");
        await using var agent = await AgentProcess.StartAsync(TlsSettings(broker, Path.Combine(dir.Path, "spool"), pki.CaFile, pki));

        await controller.WaitForAsync(m => m.Topic == Topics.State(Site) && m.Json.GetProperty("online").GetBoolean(), "birth over TLS");
        Assert.Contains(broker.Log.Split('\n'), l => l.Contains($"as {Site}", StringComparison.Ordinal) && l.Contains($"u'{Site}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BrokerSignedByAnotherCa_IsRefused_EvenIfTheSystemTrustedIt()
    {
        using var dir = new TempDirectory();
        var pki = TestCertificates.Create(dir.Path, "good", Site);
        var other = TestCertificates.Create(dir.Path, "other", Site);
        await using var broker = await TelemetryBroker.StartWithTlsAsync(pki);
        await using var controller = await MqttTestClient.ConnectAsync(broker.Port, "controller", TelemetryBroker.ControllerUser, TelemetryBroker.Password,
            filters: "gw/v1/#");
        // The agent pins "other" CA: the broker's chain to "good" must not validate.
        await using var agent = await AgentProcess.StartAsync(TlsSettings(broker, Path.Combine(dir.Path, "spool"), other.CaFile, pki));

        await agent.WaitForLogAsync("MQTT connection to 127.0.0.1:" + broker.TlsPort.ToString(CultureInfo.InvariantCulture) + " failed", 2);
        Assert.Equal(0, agent.CountLog("birth published"));
        await controller.Client.PublishAsync(new MQTTnet.MqttApplicationMessageBuilder().WithTopic($"gw/v1/{Site}/marker").WithPayload("{}")
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var seen = await controller.WaitForAsync(all => all.Any(m => m.Topic.EndsWith("/marker", StringComparison.Ordinal)), what: "marker");
        Assert.DoesNotContain(seen, m => m.Topic == Topics.State(Site));
    }
}
