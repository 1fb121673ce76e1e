namespace LossRelay;

/// <summary>What every flow applies; changed at run time by the control commands.</summary>
internal sealed class RelaySettings
{
    public double Loss { get; set; }

    public int JitterMs { get; set; }
}
