using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Sip.Tests.Sdp;

[Trait("Ring", "unit")]
public sealed class SdpDirectionExtensionsTests
{
    [Theory]
    [InlineData(SdpDirection.SendRecv, SdpDirection.SendRecv)]
    [InlineData(SdpDirection.SendOnly, SdpDirection.RecvOnly)]
    [InlineData(SdpDirection.RecvOnly, SdpDirection.SendOnly)]
    [InlineData(SdpDirection.Inactive, SdpDirection.Inactive)]
    public void Reverse_GivesTheAnswersDirection(SdpDirection offered, SdpDirection answered)
    {
        Assert.Equal(answered, offered.Reverse());
    }

    [Theory]
    [InlineData("sendrecv", SdpDirection.SendRecv)]
    [InlineData("SENDONLY", SdpDirection.SendOnly)]
    [InlineData("recvonly", SdpDirection.RecvOnly)]
    [InlineData("inactive", SdpDirection.Inactive)]
    public void TryParse_AttributeName_RoundTrips(string name, SdpDirection direction)
    {
        Assert.True(SdpDirectionExtensions.TryParse(name, out var parsed));
        Assert.Equal(direction, parsed);
        Assert.Equal(name.ToLowerInvariant(), direction.ToAttributeName());
    }

    [Fact]
    public void SendsAndReceives_FollowTheDirection()
    {
        Assert.True(SdpDirection.SendOnly.Sends());
        Assert.False(SdpDirection.SendOnly.Receives());
        Assert.False(SdpDirection.Inactive.Sends());
        Assert.True(SdpDirection.SendRecv.Receives());
    }
}
