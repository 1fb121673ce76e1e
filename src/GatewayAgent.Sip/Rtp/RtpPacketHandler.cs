namespace GatewayAgent.Sip.Rtp;

/// <summary>Receives one datagram (a whole RTP packet) from a call's latched media peer; the span is valid during the call only.</summary>
public delegate void RtpPacketHandler(ReadOnlySpan<byte> datagram);
