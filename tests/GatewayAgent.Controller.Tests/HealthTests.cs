using System.Net;
using GatewayAgent.Controller.Tests.Api;

namespace GatewayAgent.Controller.Tests;

[Trait("Ring", "integration")]
public class HealthTests(ControllerApiFactory factory) : IClassFixture<ControllerApiFactory>
{
    [Fact]
    public async Task Healthz_answers_ok_without_an_api_key()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }
}
