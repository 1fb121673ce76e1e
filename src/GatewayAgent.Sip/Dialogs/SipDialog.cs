using System.Globalization;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transactions;

namespace GatewayAgent.Sip.Dialogs;

/// <summary>
/// Dialog state (RFC 3261 §12): Call-ID, local and remote tags and URIs, remote target, route set and CSeq numbers,
/// and the in-dialog requests built from them (§12.2.1.1).
/// </summary>
public sealed class SipDialog
{
    private readonly object _gate = new();
    private long _localCSeq;

    private SipDialog(string callId, string localTag, string remoteTag, NameAddress local, NameAddress remote, SipUri remoteTarget, IReadOnlyList<string> routeSet, long localCSeq, long remoteCSeq)
    {
        CallId = callId;
        LocalTag = localTag;
        RemoteTag = remoteTag;
        LocalAddress = local;
        RemoteAddress = remote;
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        _localCSeq = localCSeq;
        RemoteCSeq = remoteCSeq;
    }

    public string CallId { get; }

    public string LocalTag { get; }

    public string RemoteTag { get; }

    /// <summary>Our From (UAC) or To (UAS) address, with our tag.</summary>
    public NameAddress LocalAddress { get; }

    public NameAddress RemoteAddress { get; }

    /// <summary>The peer's Contact: the Request-URI of in-dialog requests; a target refresh (re-INVITE) updates it.</summary>
    public SipUri RemoteTarget { get; private set; }

    /// <summary>Route headers for in-dialog requests, in the order to send them.</summary>
    public IReadOnlyList<string> RouteSet { get; }

    /// <summary>The highest CSeq seen from the peer; lower ones are out of order (500, §12.2.2).</summary>
    public long RemoteCSeq { get; private set; }

    /// <summary>The key the transaction user files dialogs under: Call-ID, local tag, remote tag.</summary>
    public string Id => Key(CallId, LocalTag, RemoteTag);

    public static string Key(string? callId, string? localTag, string? remoteTag) => $"{callId}|{localTag}|{remoteTag}";

    /// <summary>The UAS side of a dialog created by a 2xx to <paramref name="request"/> (§12.1.1).</summary>
    public static SipDialog ForServer(SipRequest request, string localTag)
    {
        var local = request.To!.Clone();
        local.Tag = localTag;
        var remote = request.From!.Clone();
        var contact = request.Headers[HeaderNames.Contact] is { } c && NameAddress.TryParse(c, out var ca) ? ca.Uri : remote.Uri;
        var routes = request.Headers.GetValues(HeaderNames.RecordRoute).ToList();
        return new SipDialog(request.CallId!, localTag, remote.Tag ?? "", local, remote, contact, routes, 0, request.CSeq!.Value.Number);
    }

    /// <summary>The UAC side of a dialog created by a 2xx response to our <paramref name="request"/> (§12.1.2).</summary>
    public static SipDialog ForClient(SipRequest request, SipResponse response)
    {
        var local = request.From!.Clone();
        var remote = response.To!.Clone();
        var contact = response.Headers[HeaderNames.Contact] is { } c && NameAddress.TryParse(c, out var ca) ? ca.Uri : request.RequestUri;
        var routes = response.Headers.GetValues(HeaderNames.RecordRoute).Reverse().ToList();
        return new SipDialog(request.CallId!, local.Tag ?? "", remote.Tag ?? "", local, remote, contact, routes, request.CSeq!.Value.Number, 0);
    }

    /// <summary>Checks and records the CSeq of an in-dialog request; false when it is out of order (§12.2.2).</summary>
    public bool AcceptRemoteCSeq(long cseq)
    {
        lock (_gate)
        {
            if (cseq <= RemoteCSeq && RemoteCSeq != 0)
            {
                return false;
            }

            RemoteCSeq = cseq;
            return true;
        }
    }

    /// <summary>A target refresh request (re-INVITE) replaces the remote target with its Contact.</summary>
    public void RefreshTarget(SipRequest request)
    {
        if (request.Headers[HeaderNames.Contact] is { } c && NameAddress.TryParse(c, out var contact))
        {
            RemoteTarget = contact.Uri;
        }
    }

    /// <summary>
    /// Builds an in-dialog request (BYE, re-INVITE...) with the next local CSeq and a fresh branch in a Via for
    /// <paramref name="viaTransport"/> and <paramref name="viaSentBy"/>. ACK for a 2xx uses <see cref="CreateAck"/>.
    /// </summary>
    public SipRequest CreateRequest(string method, string viaTransport, string viaSentBy)
    {
        long cseq;
        lock (_gate)
        {
            cseq = ++_localCSeq;
        }

        return Build(method, cseq, viaTransport, viaSentBy);
    }

    /// <summary>The ACK for a 2xx to the INVITE with <paramref name="inviteCSeq"/>: same CSeq number, its own branch (§13.2.2.4).</summary>
    public SipRequest CreateAck(long inviteCSeq, string viaTransport, string viaSentBy) =>
        Build(SipMethods.Ack, inviteCSeq, viaTransport, viaSentBy, SipMethods.Ack);

    private SipRequest Build(string method, long cseq, string viaTransport, string viaSentBy, string? cseqMethod = null)
    {
        // Loose routing (§12.2.1.1): with an lr first route the Request-URI is the remote target.
        var requestUri = RemoteTarget;
        var routes = RouteSet;
        if (routes.Count > 0 && NameAddress.TryParse(routes[0], out var first) && !first.Uri.Parameters.Contains("lr"))
        {
            requestUri = first.Uri.Clone();
            requestUri.Parameters.Remove("lr");
            routes = [.. routes.Skip(1), $"<{RemoteTarget}>"];
        }

        var request = new SipRequest(method, requestUri.Clone());
        request.Headers.Add(HeaderNames.Via, $"SIP/2.0/{viaTransport} {viaSentBy};branch={SipIdentifiers.NewBranch()};rport");
        request.Headers.Add(HeaderNames.MaxForwards, "70");
        foreach (var route in routes)
        {
            request.Headers.Add(HeaderNames.Route, route);
        }

        request.Headers.Add(HeaderNames.From, LocalAddress.ToString());
        request.Headers.Add(HeaderNames.To, RemoteAddress.ToString());
        request.Headers.Add(HeaderNames.CallId, CallId);
        request.Headers.Add(HeaderNames.CSeq, cseq.ToString(CultureInfo.InvariantCulture) + " " + (cseqMethod ?? method));
        return request;
    }
}
