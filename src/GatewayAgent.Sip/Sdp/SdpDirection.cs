namespace GatewayAgent.Sip.Sdp;

/// <summary>The media direction attribute of a stream (RFC 3264 §5.1, §6.1); absent means <see cref="SendRecv"/>.</summary>
public enum SdpDirection
{
    /// <summary><c>a=sendrecv</c>: media flows both ways.</summary>
    SendRecv,

    /// <summary><c>a=sendonly</c>: the describing party only sends.</summary>
    SendOnly,

    /// <summary><c>a=recvonly</c>: the describing party only receives.</summary>
    RecvOnly,

    /// <summary><c>a=inactive</c>: no media flows.</summary>
    Inactive,
}
