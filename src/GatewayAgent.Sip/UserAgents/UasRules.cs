using System.Net;
using System.Text;
using GatewayAgent.Sip.Dialogs;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// What every UAS core of ours (the probe answerer, the temporary-password IVR) does alike: the checks every request
/// passes before its method's own (RFC 3261 §8.2.1–§8.2.3), our Contact, and where in-dialog requests go
/// (docs/security.md: back along the dialog's path, never to an address a stranger's message named).
/// </summary>
public static class UasRules
{
    /// <summary>
    /// The response for a request that fails the common checks — 416 (unsupported URI scheme), 483 (Max-Forwards 0),
    /// 420 with Unsupported (a Require option we do not know; we support none) — or null when it passes.
    /// </summary>
    public static SipResponse? CheckCommon(ServerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var request = transaction.Request;
        if (!request.RequestUri.IsSupportedScheme)
        {
            return transaction.CreateResponse(416);
        }

        if (request.MaxForwards == 0)
        {
            return transaction.CreateResponse(483);
        }

        var unsupported = request.GetOptionTags(HeaderNames.Require).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (unsupported.Count > 0)
        {
            var response = transaction.CreateResponse(420);
            response.Headers.Add(HeaderNames.Unsupported, string.Join(", ", unsupported));
            return response;
        }

        return null;
    }

    /// <summary>Adds our Contact: the Request-URI's user at the local address the request came in on (transport=tcp over TCP).</summary>
    public static SipResponse WithContact(SipResponse response, ServerTransaction transaction, ISipMessageSender sender)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(sender);
        var source = transaction.Incoming.Source;
        var local = sender.GetLocalEndPoint(source);
        var user = transaction.Request.RequestUri.User;
        var uri = new StringBuilder("<sip:");
        if (!string.IsNullOrEmpty(user))
        {
            uri.Append(user).Append('@');
        }

        uri.Append(SipEndPoints.FormatHostPort(local));
        if (source.Transport == SipTransportKind.Tcp)
        {
            uri.Append(";transport=tcp");
        }

        response.Headers.Add(HeaderNames.Contact, uri.Append('>').ToString());
        return response;
    }

    /// <summary>
    /// Answers a CANCEL (RFC 3261 §9.2): 481 when it matched no INVITE; else 200, the INVITE is marked cancelled and gets
    /// 487 unless it was already answered. Returns the INVITE, or null.
    /// </summary>
    public static InviteServerTransaction? AnswerCancel(ServerTransaction cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        if (cancel.CancelledInvite is not { } invite)
        {
            cancel.Respond(cancel.CreateResponse(481));
            return null;
        }

        cancel.Respond(cancel.CreateResponse(200));
        invite.IsCancelled = true;
        invite.Respond(invite.CreateResponse(487)); // ignored when a final response went first
        return invite;
    }

    /// <summary>Whether a Content-Type header value names <paramref name="mediaType"/> (parameters ignored).</summary>
    public static bool IsContentType(string? contentType, string mediaType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The dialog key of an in-dialog request as a UAS files it: Call-ID, our (To) tag, the peer's (From) tag.</summary>
    public static string DialogKey(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SipDialog.Key(request.CallId, request.To?.Tag, request.From?.Tag);
    }

    /// <summary>
    /// Where our in-dialog requests (BYE) go: back along the path the dialog came from (docs/security.md). Over a
    /// connection-oriented transport, back over the connection the INVITE came on. Over UDP, the first route, else
    /// the remote target (RFC 3261 §12.2.1.1), but only when it names the INVITE's source address and transport (a
    /// proxy that record-routed its listening port); a route or Contact naming another host or transport is not
    /// followed and the request goes to the INVITE's source instead.
    /// </summary>
    public static SipTarget InDialogTarget(SipDialog dialog, SipTarget source)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        var uri = dialog.RouteSet.Count > 0 && NameAddress.TryParse(dialog.RouteSet[0], out var route) ? route.Uri : dialog.RemoteTarget;
        if (source.IsReliable)
        {
            return source;
        }

        var transport = uri.Parameters["transport"]?.ToLowerInvariant() switch
        {
            "tcp" => SipTransportKind.Tcp,
            "udp" => SipTransportKind.Udp,
            _ => source.Transport,
        };
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
            && transport == source.Transport
            && SipEndPoints.Normalize(address).Equals(SipEndPoints.Normalize(source.EndPoint.Address))
            ? new SipTarget(transport, new IPEndPoint(address, uri.Port ?? 5060))
            : source;
    }
}
