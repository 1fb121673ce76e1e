using System.ComponentModel.DataAnnotations;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Transport;

[Trait("Ring", "unit")]
public sealed class SipTransportOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = new SipTransportOptions();
        Assert.Empty(Validate(options));
        Assert.Equal(65535, options.MaxMessageSize);
        Assert.Equal(TimeSpan.FromMinutes(5), options.TcpIdleTimeout);
        Assert.Equal(1024, options.MaxTcpConnections);
    }

    [Fact]
    public void OutOfRangeValues_AreReportedByName()
    {
        var options = new SipTransportOptions
        {
            MaxMessageSize = 100,
            TcpIdleTimeout = TimeSpan.Zero,
            MaxTcpConnections = 0,
            TcpConnectTimeout = TimeSpan.FromHours(1),
            UdpSocketReceiveBufferSize = 10,
        };

        string[] expected =
        [
            nameof(SipTransportOptions.MaxMessageSize), nameof(SipTransportOptions.TcpIdleTimeout),
            nameof(SipTransportOptions.MaxTcpConnections), nameof(SipTransportOptions.TcpConnectTimeout),
            nameof(SipTransportOptions.UdpSocketReceiveBufferSize),
        ];
        var members = Validate(options).SelectMany(r => r.MemberNames).Distinct();
        Assert.Equal(expected.Order(), members.Order());
    }

    private static List<ValidationResult> Validate(SipTransportOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
