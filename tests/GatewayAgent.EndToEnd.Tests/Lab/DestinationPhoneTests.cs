using System.Net;
using System.Net.Sockets;
using GatewayAgent.Lab;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.EndToEnd.Tests.Lab;

/// <summary>
/// The lab's destination phone on a loopback port, called by our UAC (the lab's caller, ProbeCaller): every number is
/// answered, the Contact names the dialled number, the call ends with the caller's BYE. And the lab's port check names
/// the edge's and the phone's ports.
/// </summary>
[Trait("Ring", "integration")]
public sealed class DestinationPhoneTests
{
    [Theory]
    [InlineData("09012340002")]
    [InlineData("08011112222")]
    public async Task AnyNumber_IsAnswered_WithTheDialledNumberInTheContact_AndEndedByBye(string number)
    {
        await using var phone = await DestinationPhone.StartAsync(FreePort.Next(), CancellationToken.None);
        await using var caller = await LabCaller.StartAsync(phone.Port, CancellationToken.None); // the phone as the "edge"

        var result = await caller.CallAsync(number, CancellationToken.None);

        Assert.Equal(200, result.FinalStatus);
        Assert.Equal($"<sip:{number}@127.0.0.1:{phone.Port}>", result.AnsweredContact);
        Assert.Equal(200, result.ByeStatus);
        Assert.Equal(1, phone.Answered);
        Assert.Equal(0, phone.ActiveCalls);
        Assert.Equal($"call {number}: answered by destination {number}", LabCaller.Describe(number, result.FinalStatus, result.AnsweredContact, [], phone.Port));
    }

    [Fact]
    public async Task AnOffer_IsAnswered_AsWell()
    {
        await using var phone = await DestinationPhone.StartAsync(FreePort.Next(), CancellationToken.None);
        var transport = new SipTransportLayer(Options.Create(new SipTransportOptions()), TimeProvider.System, NullLogger<SipTransportLayer>.Instance);
        await using var _ = transport;
        var layer = new SipTransactionLayer(transport, new SipTimerOptions(), TimeProvider.System, NullLogger<SipTransactionLayer>.Instance);
        var ports = new RtpPortAllocator(Options.Create(new RtpPortAllocatorOptions { MinPort = 51000, MaxPort = 51999, BindAddress = "127.0.0.1" }));
        var caller = new ProbeCaller(layer, ports, TimeProvider.System, NullLogger<ProbeCaller>.Instance); // INVITE with an SDP offer
        layer.User = caller;
        await transport.StartAsync([new SipListenAddress(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))], layer, CancellationToken.None);

        var result = await caller.CallAsync(new ProbeCallRequest
        {
            Target = new SipTarget(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, phone.Port)),
            RequestUri = SipUri.Parse($"sip:09012340001@127.0.0.1:{phone.Port}"),
            Timeout = TimeSpan.FromSeconds(5),
        });

        Assert.Equal(200, result.FinalStatus);
        Assert.Equal(200, result.ByeStatus);
        Assert.Equal(0, phone.ActiveCalls);
    }

    [Theory]
    [InlineData("edge")]
    [InlineData("rpc")]
    [InlineData("destination")]
    public void PortInUse_IsNamedWithItsOption(string which)
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var options = new LabOptions
        {
            HttpPort = FreePort.Next(), MqttPort = FreePort.Next(), SmtpPort = FreePort.Next(), SipBasePort = LabHarness.FreeRange(2), Sites = 1,
            EdgePort = which == "edge" ? port : FreePort.Next(),
            EdgeRpcPort = which == "rpc" ? port : FreePort.Next(),
            DestinationPort = which == "destination" ? port : FreePort.Next(),
            IvrPort = FreePort.Next(),
        };
        var option = which switch { "edge" => "--edge-port", "rpc" => "--edge-rpc-port", _ => "--destination-port" };

        Assert.Equal($"127.0.0.1:{port} ({option}) is in use", LabPorts.FirstInUse(options));
    }
}
