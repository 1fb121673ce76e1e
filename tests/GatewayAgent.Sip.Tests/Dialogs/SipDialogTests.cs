using GatewayAgent.Sip.Dialogs;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;

namespace GatewayAgent.Sip.Tests.Dialogs;

/// <summary>RFC 3261 §12: dialog identity, route sets and in-dialog requests.</summary>
[Trait("Ring", "unit")]
public sealed class SipDialogTests
{
    private static SipRequest Invite(string extra = "") => (SipRequest)SipParser.Parse($"""
        INVITE sip:0312345678@192.0.2.1 SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-1
        Max-Forwards: 70
        From: "Prober" <sip:prober@192.0.2.10>;tag=caller
        To: <sip:0312345678@192.0.2.1>
        Call-ID: dlg-1
        CSeq: 7 INVITE
        Contact: <sip:prober@192.0.2.10:5062>
        {extra}Content-Length: 0


        """.ReplaceLineEndings("\r\n")).Message!;

    [Fact]
    public void ServerDialog_TakesItsIdentityFromTheRequest()
    {
        var dialog = SipDialog.ForServer(Invite(), "local");

        Assert.Equal("dlg-1", dialog.CallId);
        Assert.Equal("local", dialog.LocalTag);
        Assert.Equal("caller", dialog.RemoteTag);
        Assert.Equal("sip:prober@192.0.2.10:5062", dialog.RemoteTarget.ToString());
        Assert.Equal(7, dialog.RemoteCSeq);
        Assert.Equal(SipDialog.Key("dlg-1", "local", "caller"), dialog.Id);
    }

    [Fact]
    public void ServerDialog_Bye_HasSwappedTags_NextCSeq_AndRoutesInRecordRouteOrder()
    {
        var dialog = SipDialog.ForServer(Invite("Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"), "local");

        var bye = dialog.CreateRequest("BYE", "UDP", "192.0.2.1:5060");
        var second = dialog.CreateRequest("BYE", "UDP", "192.0.2.1:5060");

        Assert.Equal("local", bye.From!.Tag);
        Assert.Equal("caller", bye.To!.Tag);
        Assert.Equal(new CSeqHeader(1, "BYE"), bye.CSeq);
        Assert.Equal(new CSeqHeader(2, "BYE"), second.CSeq);
        Assert.Equal(["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"], bye.Headers.GetValues(HeaderNames.Route));
        Assert.Equal("sip:prober@192.0.2.10:5062", bye.RequestUri.ToString());
        Assert.NotEqual(bye.TopVia!.Branch, second.TopVia!.Branch);
        Assert.True(SipParser.Parse(bye.ToBytes()).IsValid);
    }

    [Fact]
    public void StrictRouter_FirstRouteBecomesTheRequestUri_AndTheTargetGoesLast()
    {
        var dialog = SipDialog.ForServer(Invite("Record-Route: <sip:strict.example.com>\r\n"), "local");

        var bye = dialog.CreateRequest("BYE", "UDP", "192.0.2.1:5060");

        Assert.Equal("sip:strict.example.com", bye.RequestUri.ToString());
        Assert.Equal(["<sip:prober@192.0.2.10:5062>"], bye.Headers.GetValues(HeaderNames.Route));
    }

    [Fact]
    public void ClientDialog_ReversesTheRecordRoutes_AndAcksWithTheInviteCSeq()
    {
        var invite = Invite();
        var ok = invite.CreateResponse(200, null, "callee");
        ok.Headers.Add(HeaderNames.RecordRoute, "<sip:p1.example.com;lr>");
        ok.Headers.Add(HeaderNames.RecordRoute, "<sip:p2.example.com;lr>");
        ok.Headers.Add(HeaderNames.Contact, "<sip:0312345678@192.0.2.1:5070>");

        var dialog = SipDialog.ForClient(invite, ok);
        var ack = dialog.CreateAck(7, "UDP", "192.0.2.10:5062");

        Assert.Equal("caller", dialog.LocalTag);
        Assert.Equal("callee", dialog.RemoteTag);
        Assert.Equal(["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"], ack.Headers.GetValues(HeaderNames.Route));
        Assert.Equal(new CSeqHeader(7, "ACK"), ack.CSeq);
        Assert.Equal("sip:0312345678@192.0.2.1:5070", ack.RequestUri.ToString());
        Assert.Equal(new CSeqHeader(8, "BYE"), dialog.CreateRequest("BYE", "UDP", "192.0.2.10:5062").CSeq);
    }

    [Fact]
    public void RemoteCSeq_MustGrow()
    {
        var dialog = SipDialog.ForServer(Invite(), "local");

        Assert.False(dialog.AcceptRemoteCSeq(7));
        Assert.True(dialog.AcceptRemoteCSeq(8));
        Assert.False(dialog.AcceptRemoteCSeq(8));
    }

    [Fact]
    public void TargetRefresh_ReplacesTheRemoteTarget()
    {
        var dialog = SipDialog.ForServer(Invite(), "local");
        var reInvite = Invite("Contact: <sip:prober@192.0.2.99:6000>\r\n".Replace("Contact", "X-Ignored"));
        reInvite.Headers.Set(HeaderNames.Contact, "<sip:prober@192.0.2.99:6000>");

        dialog.RefreshTarget(reInvite);

        Assert.Equal("sip:prober@192.0.2.99:6000", dialog.RemoteTarget.ToString());
    }
}
