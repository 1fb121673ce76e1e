using System.Net;
using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Sip.Tests.Sdp;

[Trait("Ring", "unit")]
public sealed class SdpSessionOriginTests
{
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.1");

    private static SdpSession Description(int port) => new()
    {
        Origin = new SdpOrigin("x", "0", 0, "IN", "IP4", "0.0.0.0"),
        Connection = SdpConnection.FromIPAddress(Local),
        MediaDescriptions = [new SdpMediaDescription { Media = "audio", Port = port, Protocol = "RTP/AVP", Formats = ["0"] }],
    };

    [Fact]
    public void Stamp_FirstDescription_UsesTheInitialVersion()
    {
        var origin = new SdpSessionOrigin(Local, 100, 3, "gateway");

        var stamped = origin.Stamp(Description(4000));

        Assert.Equal(new SdpOrigin("gateway", "100", 3, "IN", "IP4", "192.0.2.1"), stamped.Origin);
        Assert.Equal(3UL, origin.Version);
    }

    [Fact]
    public void Stamp_SameContentAgain_KeepsTheVersion()
    {
        var origin = new SdpSessionOrigin(Local, 100, 3);

        origin.Stamp(Description(4000));
        var again = origin.Stamp(Description(4000) with { Origin = new SdpOrigin("y", "9", 9, "IN", "IP4", "192.0.2.9") });

        Assert.Equal(3UL, again.Origin.SessionVersion);
    }

    [Fact]
    public void Stamp_ChangedContent_IncrementsByOne()
    {
        var origin = new SdpSessionOrigin(Local, 100, 3);

        origin.Stamp(Description(4000));
        var changed = origin.Stamp(Description(4002));
        var changedBack = origin.Stamp(Description(4000));

        Assert.Equal(4UL, changed.Origin.SessionVersion);
        Assert.Equal(5UL, changedBack.Origin.SessionVersion);
        Assert.Equal(5UL, origin.Current.SessionVersion);
    }

    [Fact]
    public void CreateRandom_GivesDifferentNumericSessionIds()
    {
        var a = SdpSessionOrigin.CreateRandom(Local);
        var b = SdpSessionOrigin.CreateRandom(Local);

        Assert.NotEqual(a.SessionId, b.SessionId);
        Assert.True(ulong.TryParse(a.SessionId, out _));
    }

    [Fact]
    public void Constructor_UsernameWithSpace_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SdpSessionOrigin(Local, 1, 1, "two words"));
    }
}
