using GatewayAgent.Controller.Routing;

namespace GatewayAgent.Controller.Tests.Routing;

[Trait("Ring", "unit")]
public sealed class RegistrationDigestTests
{
    [Fact]
    public void Ha1_IsTheRfc2617Value() =>
        // RFC 2617 §3.5's example credentials
        Assert.Equal("939e7578ed9e3c518a452acee763bce9", RegistrationDigest.Ha1("Mufasa", "testrealm@host.com", "Circle Of Life"));
}
