using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// What a completed server transaction answers a retransmission with: its response's <see cref="Bytes"/>, resent to
/// <see cref="Peer"/>; or its <see cref="Form"/> and <see cref="ToTag"/>, from which the response to the retransmitted
/// request is rebuilt; or neither (absorb).
/// </summary>
internal readonly record struct CompletedResponse(byte[]? Bytes, ResponseForm? Form, string? ToTag, SipTarget Peer);
