namespace GatewayAgent.Tests.Conformance;

/// <summary>What the agent answered to one PROTOS case (0: nothing).</summary>
internal sealed class ProtosCaseResult
{
    private readonly object _gate = new();
    private int _settled;

    public ProtosCaseResult(int index) => Index = index;

    public int Index { get; }

    /// <summary>The share of the sending window the case takes while in flight.</summary>
    public int Units { get; set; } = 1;

    /// <summary>"udp", or "tcp" for a case too big for one datagram.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>The first response to the INVITE (usually 100 Trying when it was accepted).</summary>
    public int FirstInviteCode { get; private set; }

    /// <summary>The first final response to the INVITE.</summary>
    public int FinalInviteCode { get; private set; }

    /// <summary>The first response to the CANCEL.</summary>
    public int FirstCancelCode { get; private set; }

    public void Record(WireMessage response)
    {
        lock (_gate)
        {
            if (string.Equals(response.CSeqMethod, "CANCEL", StringComparison.OrdinalIgnoreCase))
            {
                FirstCancelCode = FirstCancelCode == 0 ? response.StatusCode : FirstCancelCode;
                return;
            }

            FirstInviteCode = FirstInviteCode == 0 ? response.StatusCode : FirstInviteCode;
            if (response.IsFinal && FinalInviteCode == 0)
            {
                FinalInviteCode = response.StatusCode;
            }
        }
    }

    /// <summary>True the first time only: the case's slot in the sending window can be given back.</summary>
    public bool TrySettle() => Interlocked.Exchange(ref _settled, 1) == 0;
}
