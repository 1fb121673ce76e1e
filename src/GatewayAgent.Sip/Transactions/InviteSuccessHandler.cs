using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// The TU's handler of every 2xx to an INVITE (<see cref="InviteClientTransaction.Success"/>), which must ACK each
/// (RFC 3261 §13.2.2.4). <paramref name="invite"/> is the transaction's request for the first 2xx; for a 2xx that comes
/// while the transaction is Accepted (RFC 6026 §8.4, a retransmission or a fork) it is a skeleton of that request kept
/// by the layer: Request-URI, top Via, From, To, Call-ID and CSeq, no body. <paramref name="peer"/> is where the INVITE
/// went. The handler gets what an ACK needs from its arguments, so it need not capture the call: one handler can serve
/// every call, and the layer keeps nothing of the TU per Accepted transaction but the handler's reference.
/// </summary>
public delegate void InviteSuccessHandler(SipResponse response, SipRequest invite, SipTarget peer);
